#pragma once

#include <QDateTime>
#include <QList>
#include <QPointF>

namespace flashsale::console {

/// The last N milliseconds of one measured value, one point per sample: x is the sample's
/// time in milliseconds since the epoch (what QDateTimeAxis expects), y the value.
class RollingSeries
{
public:
    /// Keeps points no older than \a windowMs before the newest one.
    explicit RollingSeries(qint64 windowMs = 5 * 60 * 1000);

    /// Adds a sample. One at (nearly) the same time as the newest replaces it, so a repeated
    /// message does not double a point; one older than the newest is ignored (false).
    bool append(const QDateTime &time, double value);

    const QList<QPointF> &points() const { return m_points; }
    /// The points from \a sinceMs (ms since the epoch) on.
    QList<QPointF> pointsSince(qint64 sinceMs) const;
    /// The points from \a sinceMs on, cut where samples are missing: two neighbours further
    /// apart than gapMs() are in different segments, so a chart draws no line across an
    /// outage.
    QList<QList<QPointF>> segments(qint64 sinceMs = 0) const;
    bool isEmpty() const { return m_points.isEmpty(); }
    /// The newest value, 0 when empty.
    double latest() const;
    /// The largest value in the window (or from \a sinceMs on), 0 when empty.
    double maximum(qint64 sinceMs = 0) const;
    /// Samples further apart than this are not joined (default 2.5 s: the feed is 1 Hz).
    static constexpr qint64 gapMs() { return 2500; }
    qint64 windowMs() const { return m_windowMs; }
    void clear() { m_points.clear(); }

private:
    qint64 m_windowMs = 0;
    QList<QPointF> m_points;
};

} // namespace flashsale::console
