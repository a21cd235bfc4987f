#pragma once

#include <QHash>
#include <QString>

#include <optional>
#include <shared_mutex>

namespace flashsale::sale {

/// The operator's manual switch: the whole site or one product answers the friendly 503
/// with the operator's message while it is on. Thread-safe.
class KillSwitch
{
public:
    /// One switch: on or off, and what shoppers are told.
    struct Switch
    {
        bool on = false;
        QString message;
    };

    /// Every switch at once: the site's, and each product's that was ever set.
    struct Switches
    {
        Switch site;
        QHash<qint64, Switch> goods;
    };

    /// What shoppers read when the operator gave no message.
    static QString defaultMessage();

    void setSite(bool on, const QString &message);
    void setGoods(qint64 goodsId, bool on, const QString &message);
    /// Replaces every switch at once (config reload).
    void replace(Switches switches);

    /// The message to answer with if \a goodsId may not be bought now (site first).
    std::optional<QString> blocked(qint64 goodsId) const;
    Switch site() const;
    Switch goods(qint64 goodsId) const;

    /// Every switch, read at once (the admin API answers them as `Degradation`).
    Switches all() const;

private:
    /// std::shared_mutex, not QReadWriteLock: its pthread rwlock is one ThreadSanitizer sees.
    mutable std::shared_mutex m_lock;
    Switches m_switches; ///< goods: only products that were switched at some point
};

} // namespace flashsale::sale
