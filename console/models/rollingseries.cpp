#include "rollingseries.h"

#include <algorithm>

namespace flashsale::console {

namespace {
// Samples closer than this are the same second of the 1 Hz feed.
constexpr qint64 kSameSampleMs = 500;
} // namespace

RollingSeries::RollingSeries(qint64 windowMs)
    : m_windowMs(windowMs)
{ }

bool RollingSeries::append(const QDateTime &time, double value)
{
    const double x = double(time.toMSecsSinceEpoch());
    if (!m_points.isEmpty()) {
        const double last = m_points.constLast().x();
        if (x < last - kSameSampleMs)
            return false;
        if (x < last + kSameSampleMs) {
            m_points.last() = QPointF(qMax(x, last), value);
            return true;
        }
    }
    m_points.append(QPointF(x, value));
    const double oldest = x - double(m_windowMs);
    qsizetype drop = 0;
    while (drop < m_points.size() && m_points.at(drop).x() < oldest)
        ++drop;
    m_points.remove(0, drop);
    return true;
}

double RollingSeries::latest() const
{
    return m_points.isEmpty() ? 0 : m_points.constLast().y();
}

namespace {
qsizetype firstAtOrAfter(const QList<QPointF> &points, qint64 sinceMs)
{
    const auto it = std::lower_bound(points.cbegin(), points.cend(), double(sinceMs),
                                     [](const QPointF &p, double x) { return p.x() < x; });
    return it - points.cbegin();
}
} // namespace

QList<QPointF> RollingSeries::pointsSince(qint64 sinceMs) const
{
    return m_points.mid(firstAtOrAfter(m_points, sinceMs));
}

QList<QList<QPointF>> RollingSeries::segments(qint64 sinceMs) const
{
    QList<QList<QPointF>> segments;
    for (qsizetype i = firstAtOrAfter(m_points, sinceMs); i < m_points.size(); ++i) {
        const QPointF &p = m_points.at(i);
        if (segments.isEmpty() || p.x() - segments.constLast().constLast().x() > double(gapMs()))
            segments.append(QList<QPointF>());
        segments.last().append(p);
    }
    return segments;
}

double RollingSeries::maximum(qint64 sinceMs) const
{
    double max = 0;
    for (qsizetype i = firstAtOrAfter(m_points, sinceMs); i < m_points.size(); ++i)
        max = qMax(max, m_points.at(i).y());
    return max;
}

} // namespace flashsale::console
