#pragma once

#include <QDateTime>
#include <QString>

namespace flashsale::console {

/// The one way the console shows a moment to people: local time with its zone,
/// "2026-12-03 15:04:05 UTC+08:00" (files for machines keep ISO 8601 in UTC).
QString formatLocalTime(const QDateTime &time);

/// "15:04:05 UTC+08:00": a moment of today, where the date goes without saying.
QString formatLocalClock(const QDateTime &time);

/// The local zone as an offset, "UTC+08:00" ("UTC" at offset 0), at \a at.
QString localZoneOffset(const QDateTime &at = QDateTime::currentDateTime());

/// The offset and the zone's name, "UTC+08:00 (Asia/Shanghai)", for titles and reports.
QString localZoneDescription(const QDateTime &at = QDateTime::currentDateTime());

/// "5 min", "1 h 05 min", "2 d 3 h", "40 s": a duration for sentences (negative as positive).
QString formatDuration(qint64 seconds);

} // namespace flashsale::console
