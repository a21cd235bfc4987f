#include "livehistory.h"

namespace flashsale::console {

LiveHistory::LiveHistory(qint64 windowMs, QObject *parent)
    : QObject(parent)
    , m_windowMs(windowMs)
    , m_orders(windowMs)
    , m_queueDepth(windowMs)
    , m_deadLetters(windowMs)
    , m_latencyP50(windowMs)
    , m_latencyP99(windowMs)
    , m_orderLagP50(windowMs)
    , m_orderLagP99(windowMs)
    , m_empty(windowMs)
{
    clear();
}

void LiveHistory::clear()
{
    m_requests.clear();
    for (const QString &outcome : adminapi::Stats::outcomes())
        m_requests.insert(outcome, RollingSeries(m_windowMs));
    m_orders.clear();
    m_queueDepth.clear();
    m_deadLetters.clear();
    m_latencyP50.clear();
    m_latencyP99.clear();
    m_orderLagP50.clear();
    m_orderLagP99.clear();
    m_stock.clear();
    m_outcomeTotals.clear();
    m_ordersTotal = 0;
    m_peakRequests = 0;
    m_samples = 0;
    m_first = {};
    m_last = {};
    m_latest = {};
}

const RollingSeries &LiveHistory::requests(const QString &outcome) const
{
    auto it = m_requests.constFind(outcome);
    return it == m_requests.constEnd() ? m_empty : it.value();
}

bool LiveHistory::append(const adminapi::Stats &stats)
{
    if (!stats.time.isValid() || (m_last.isValid() && stats.time < m_last.addMSecs(-500)))
        return false;
    const bool sameSecond = m_last.isValid() && stats.time < m_last.addMSecs(500);
    double total = 0;
    for (const QString &outcome : adminapi::Stats::outcomes()) {
        const double rate = stats.requestsPerSecond.value(outcome);
        m_requests[outcome].append(stats.time, rate);
        total += rate;
        // A repeated message replaces its point; it must not count twice either.
        if (!sameSecond)
            m_outcomeTotals[outcome] += rate;
    }
    m_orders.append(stats.time, stats.ordersPerSecond);
    m_queueDepth.append(stats.time, double(stats.queueDepth));
    m_deadLetters.append(stats.time, double(stats.deadLetters));
    if (stats.buyLatencyMs.count > 0) {
        m_latencyP50.append(stats.time, stats.buyLatencyMs.p50);
        m_latencyP99.append(stats.time, stats.buyLatencyMs.p99);
    }
    if (stats.orderLagMs.count > 0) {
        m_orderLagP50.append(stats.time, stats.orderLagMs.p50);
        m_orderLagP99.append(stats.time, stats.orderLagMs.p99);
    }
    for (const adminapi::Stats::Sale &sale : stats.sales) {
        auto it = m_stock.find(sale.goodsId);
        if (it == m_stock.end())
            it = m_stock.insert(sale.goodsId, RollingSeries(m_windowMs));
        it->append(stats.time, double(sale.stockLeft));
    }
    if (!sameSecond) {
        m_ordersTotal += stats.ordersPerSecond;
        ++m_samples;
    }
    m_peakRequests = qMax(m_peakRequests, total);
    if (!m_first.isValid())
        m_first = stats.time;
    m_last = stats.time;
    m_latest = stats;
    Q_EMIT appended();
    return true;
}

} // namespace flashsale::console
