#pragma once

#include "rollingrate.h"

#include <QMap>

#include <array>
#include <atomic>

namespace flashsale::metrics {

/// Events per product per wall-clock second (buys accepted), lock-free for the hot path: a
/// fixed open-addressed table of RollingRate, a product taking an entry the first time it
/// is counted. Entries are never given back; past `capacity` products in one process's life
/// the rest are counted in overflow() only (and logged once).
class ProductRates
{
public:
    static constexpr int capacity = 512;

    /// Counts \a n events for \a goodsId (> 0) now.
    void add(qint64 goodsId, qint64 n = 1) { addAt(goodsId, n, RollingRate::nowMs()); }
    void addAt(qint64 goodsId, qint64 n, qint64 nowMs);

    /// goodsId -> events in the wall-clock second \a second, products with none left out.
    QMap<qint64, qint64> countsIn(qint64 second) const;
    /// goodsId -> events per second over the last whole second.
    QMap<qint64, double> perSecond() const;
    /// Events of products that found the table full.
    qint64 overflow() const { return m_overflow.load(std::memory_order_relaxed); }

private:
    struct Entry
    {
        std::atomic<qint64> goodsId = 0; ///< 0: free
        RollingRate rate;
    };
    Entry *entryFor(qint64 goodsId);

    std::array<Entry, capacity> m_entries;
    std::atomic<qint64> m_overflow = 0;
    std::atomic<bool> m_warned = false;
};

} // namespace flashsale::metrics
