#include "rollingseries.h"

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

double RollingSeries::maximum() const
{
    double max = 0;
    for (const QPointF &p : m_points)
        max = qMax(max, p.y());
    return max;
}

} // namespace flashsale::console
