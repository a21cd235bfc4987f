#pragma once

#include <QHash>
#include <QJsonObject>
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

    /// What shoppers read when the operator gave no message.
    static QString defaultMessage();

    void setSite(bool on, const QString &message);
    void setGoods(qint64 goodsId, bool on, const QString &message);
    /// Replaces every switch at once (config reload).
    void replace(Switch site, QHash<qint64, Switch> goods);

    /// The message to answer with if \a goodsId may not be bought now (site first).
    std::optional<QString> blocked(qint64 goodsId) const;
    Switch site() const;
    Switch goods(qint64 goodsId) const;

    /// `Degradation` of docs/api.md: {site: {on, message}, goods: [{goodsId, on, message}]}.
    QJsonObject toJson() const;

private:
    /// std::shared_mutex, not QReadWriteLock: its pthread rwlock is one ThreadSanitizer sees.
    mutable std::shared_mutex m_lock;
    Switch m_site;
    QHash<qint64, Switch> m_goods; ///< only products that were switched at some point
};

} // namespace flashsale::sale
