#include "timeformat.h"

#include <QTimeZone>

namespace flashsale::console {

QString localZoneOffset(const QDateTime &at)
{
    const int offset = at.toLocalTime().offsetFromUtc();
    if (offset == 0)
        return QStringLiteral("UTC");
    const int minutes = qAbs(offset) / 60;
    return QStringLiteral("UTC%1%2:%3")
        .arg(offset < 0 ? u'-' : u'+')
        .arg(minutes / 60, 2, 10, QLatin1Char('0'))
        .arg(minutes % 60, 2, 10, QLatin1Char('0'));
}

QString localZoneDescription(const QDateTime &at)
{
    const QString id = QString::fromUtf8(QTimeZone::systemTimeZoneId());
    const QString offset = localZoneOffset(at);
    if (id.isEmpty() || id == offset || id.endsWith(u"UTC"))
        return offset;
    return QStringLiteral("%1 (%2)").arg(offset, id);
}

QString formatLocalTime(const QDateTime &time)
{
    if (!time.isValid())
        return QStringLiteral("-");
    const QDateTime local = time.toLocalTime();
    return QStringLiteral("%1 %2").arg(local.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                                       localZoneOffset(local));
}

QString formatLocalClock(const QDateTime &time)
{
    if (!time.isValid())
        return QStringLiteral("-");
    const QDateTime local = time.toLocalTime();
    return QStringLiteral("%1 %2").arg(local.toString(QStringLiteral("HH:mm:ss")),
                                       localZoneOffset(local));
}

QString formatDuration(qint64 seconds)
{
    seconds = qAbs(seconds);
    if (seconds < 60)
        return QStringLiteral("%1 s").arg(seconds);
    const qint64 minutes = seconds / 60;
    if (minutes < 60)
        return QStringLiteral("%1 min").arg(minutes);
    const qint64 hours = minutes / 60;
    if (hours < 24)
        return QStringLiteral("%1 h %2 min").arg(hours).arg(minutes % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 d %2 h").arg(hours / 24).arg(hours % 24);
}

} // namespace flashsale::console
