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
    bool isEmpty() const { return m_points.isEmpty(); }
    /// The newest value, 0 when empty.
    double latest() const;
    /// The largest value in the window, 0 when empty.
    double maximum() const;
    qint64 windowMs() const { return m_windowMs; }
    void clear() { m_points.clear(); }

private:
    qint64 m_windowMs = 0;
    QList<QPointF> m_points;
};

} // namespace flashsale::console
