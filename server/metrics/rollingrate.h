#pragma once

#include <QtGlobal>

#include <array>
#include <atomic>

namespace flashsale::metrics {

/// Events per second over the last few whole seconds, lock-free for the hot path. An
/// increment that races a second boundary may land in the neighbouring second: fine for
/// a rate shown on a chart, not for accounting.
class RollingRate
{
public:
    /// Counts \a n events now.
    void add(qint64 n = 1) { addAt(n, nowMs()); }
    /// Events per second over the last \a seconds whole seconds (1..30), excluding the
    /// current, incomplete one.
    double perSecond(int seconds = 1) const { return perSecondAt(seconds, nowMs()); }

    void addAt(qint64 n, qint64 nowMs);
    /// Events counted in the wall-clock second \a second (ms since the epoch / 1000); 0
    /// once it is older than the slots reach.
    qint64 countIn(qint64 second) const;
    double perSecondAt(int seconds, qint64 nowMs) const;

    static qint64 nowMs();

private:
    static constexpr int slotCount = 32;
    struct Slot
    {
        std::atomic<qint64> second = -1; ///< which second this slot counts
        std::atomic<qint64> count = 0;
    };
    std::array<Slot, slotCount> m_slots;
};

} // namespace flashsale::metrics
