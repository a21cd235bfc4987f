#include "productrates.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcProductRates, "flashsale.metrics")

namespace flashsale::metrics {

ProductRates::Entry *ProductRates::entryFor(qint64 goodsId)
{
    const size_t start = size_t(quint64(goodsId) * 0x9E3779B97F4A7C15ull >> 32) % capacity;
    for (size_t i = 0; i < size_t(capacity); ++i) {
        Entry &entry = m_entries[(start + i) % capacity];
        qint64 seen = entry.goodsId.load(std::memory_order_acquire);
        if (seen == goodsId)
            return &entry;
        if (seen == 0) {
            if (entry.goodsId.compare_exchange_strong(seen, goodsId))
                return &entry;
            if (seen == goodsId) // another thread took it for the same product
                return &entry;
        }
    }
    return nullptr;
}

void ProductRates::addAt(qint64 goodsId, qint64 n, qint64 nowMs)
{
    if (goodsId <= 0)
        return;
    if (Entry *entry = entryFor(goodsId)) {
        entry->rate.addAt(n, nowMs);
        return;
    }
    m_overflow.fetch_add(n, std::memory_order_relaxed);
    if (!m_warned.exchange(true))
        qCWarning(lcProductRates) << "more than" << capacity
                                  << "products counted in this process: the accepted rate of "
                                     "products beyond that is not reported per product";
}

QMap<qint64, qint64> ProductRates::countsIn(qint64 second) const
{
    QMap<qint64, qint64> counts;
    for (const Entry &entry : m_entries) {
        const qint64 id = entry.goodsId.load(std::memory_order_acquire);
        if (id == 0)
            continue;
        if (const qint64 n = entry.rate.countIn(second))
            counts.insert(id, n);
    }
    return counts;
}

QMap<qint64, double> ProductRates::perSecond() const
{
    QMap<qint64, double> rates;
    for (const Entry &entry : m_entries) {
        const qint64 id = entry.goodsId.load(std::memory_order_acquire);
        if (id != 0)
            rates.insert(id, entry.rate.perSecond());
    }
    return rates;
}

} // namespace flashsale::metrics
