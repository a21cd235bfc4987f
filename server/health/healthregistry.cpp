#include "healthregistry.h"

namespace flashsale {

void HealthRegistry::report(const QString &name, bool up, const QString &detail)
{
    const std::lock_guard lock(m_mutex);
    Entry &entry = m_entries[name];
    if (entry.since.isNull() || entry.up != up)
        entry.since = QDateTime::currentDateTimeUtc();
    entry.up = up;
    entry.detail = detail;
}

HealthRegistry::Entry HealthRegistry::entry(const QString &name) const
{
    const std::lock_guard lock(m_mutex);
    return m_entries.value(name);
}

bool HealthRegistry::allUp() const
{
    const std::lock_guard lock(m_mutex);
    if (m_entries.isEmpty())
        return false;
    for (const Entry &entry : m_entries) {
        if (!entry.up)
            return false;
    }
    return true;
}

QJsonObject HealthRegistry::toJson() const
{
    const std::lock_guard lock(m_mutex);
    QJsonObject dependencies;
    bool allUp = !m_entries.isEmpty();
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it) {
        allUp = allUp && it->up;
        dependencies.insert(
            it.key(),
            QJsonObject {
                {QStringLiteral("state"), it->up ? QStringLiteral("up") : QStringLiteral("down")},
                {QStringLiteral("detail"), it->detail},
                {QStringLiteral("since"), it->since.toString(Qt::ISODateWithMs)},
            });
    }
    return {
        {QStringLiteral("status"), allUp ? QStringLiteral("ok") : QStringLiteral("degraded")},
        {QStringLiteral("dependencies"), dependencies},
    };
}

} // namespace flashsale
