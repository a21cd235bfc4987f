#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QMap>
#include <QString>

#include <mutex>

namespace flashsale {

/// The last known state of each dependency, written by probes and clients on any thread
/// and read by the HTTP health routes.
class HealthRegistry
{
public:
    /// A dependency's state as last observed.
    struct Entry
    {
        bool up = false; ///< reachable and answering
        QString detail; ///< address and, when down, the reason
        QDateTime since; ///< when it entered this state
    };

    /// Records \a name as up or down; `since` changes only when the state does.
    void report(const QString &name, bool up, const QString &detail);

    Entry entry(const QString &name) const;
    /// True when every reported dependency is up (and at least one reported).
    bool allUp() const;
    /// {"status": "ok"|"degraded", "dependencies": {name: {state, detail, since}}}
    QJsonObject toJson() const;

private:
    mutable std::mutex m_mutex;
    QMap<QString, Entry> m_entries;
};

} // namespace flashsale
