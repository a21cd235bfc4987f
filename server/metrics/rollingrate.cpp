#include "rollingrate.h"

#include <QDateTime>

#include <algorithm>

namespace flashsale::metrics {

qint64 RollingRate::nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

void RollingRate::addAt(qint64 n, qint64 nowMs)
{
    const qint64 second = nowMs / 1000;
    Slot &slot = m_slots[size_t(second % slotCount)];
    qint64 seen = slot.second.load(std::memory_order_acquire);
    if (seen != second && slot.second.compare_exchange_strong(seen, second))
        slot.count.store(0, std::memory_order_release);
    slot.count.fetch_add(n, std::memory_order_relaxed);
}

qint64 RollingRate::countIn(qint64 second) const
{
    const Slot &slot = m_slots[size_t(second % slotCount)];
    return slot.second.load(std::memory_order_acquire) == second
        ? slot.count.load(std::memory_order_relaxed)
        : 0;
}

double RollingRate::perSecondAt(int seconds, qint64 nowMs) const
{
    seconds = std::clamp(seconds, 1, slotCount - 2);
    const qint64 current = nowMs / 1000;
    qint64 total = 0;
    for (qint64 s = current - seconds; s < current; ++s) {
        const Slot &slot = m_slots[size_t(s % slotCount)];
        if (slot.second.load(std::memory_order_acquire) == s)
            total += slot.count.load(std::memory_order_relaxed);
    }
    return double(total) / seconds;
}

} // namespace flashsale::metrics
