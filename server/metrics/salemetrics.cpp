#include "salemetrics.h"

#include "livefigures.h"
#include "prometheustext.h"

#include <algorithm>

namespace flashsale::metrics {

QString outcomeName(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Queued:
        return QStringLiteral("queued");
    case Outcome::SoldOut:
        return QStringLiteral("sold_out");
    case Outcome::Duplicate:
        return QStringLiteral("duplicate");
    case Outcome::TooFrequent:
        return QStringLiteral("too_frequent");
    case Outcome::RateLimited:
        return QStringLiteral("rate_limited");
    case Outcome::Degraded:
        return QStringLiteral("degraded");
    case Outcome::Rejected:
        return QStringLiteral("rejected");
    case Outcome::Error:
        return QStringLiteral("error");
    }
    return {};
}

void SaleMetrics::count(Outcome outcome)
{
    m_totals[size_t(outcome)].fetch_add(1, std::memory_order_relaxed);
    m_rates[size_t(outcome)].add();
}

void SaleMetrics::recordBuy(qint64 goodsId, Outcome outcome, Clock::time_point started)
{
    const qint64 now = RollingRate::nowMs();
    m_totals[size_t(outcome)].fetch_add(1, std::memory_order_relaxed);
    m_rates[size_t(outcome)].addAt(1, now);
    if (outcome == Outcome::Queued)
        m_accepted.addAt(goodsId, 1, now);
    const auto elapsed = std::chrono::duration<double, std::milli>(Clock::now() - started);
    m_latency.recordAt(elapsed.count(), now);
}

qint64 SaleMetrics::total(Outcome outcome) const
{
    return m_totals[size_t(outcome)].load(std::memory_order_relaxed);
}

double SaleMetrics::perSecond(Outcome outcome) const
{
    return m_rates[size_t(outcome)].perSecond();
}

QJsonObject SaleMetrics::ratesJson() const
{
    QJsonObject rates;
    for (int i = 0; i < outcomeCount; ++i)
        rates.insert(outcomeName(Outcome(i)), m_rates[size_t(i)].perSecond());
    return rates;
}

SecondFigures SaleMetrics::figuresIn(qint64 second) const
{
    SecondFigures f;
    f.second = second;
    for (int i = 0; i < outcomeCount; ++i)
        f.outcomes[size_t(i)] = m_rates[size_t(i)].countIn(second);
    f.accepted = m_accepted.countsIn(second);
    f.latency = m_latency.countsIn(second);
    return f;
}

void SaleMetrics::writePrometheus(PrometheusText &out) const
{
    out.family("flashsale_http_requests_total", "counter",
               "HTTP requests received by this instance.");
    out.sample("flashsale_http_requests_total", double(requests()));
    out.family("flashsale_buy_requests_total", "counter", "Buy requests by outcome.");
    for (int i = 0; i < outcomeCount; ++i)
        out.sample("flashsale_buy_requests_total", double(total(Outcome(i))),
                   {{"outcome", outcomeName(Outcome(i)).toLatin1()}});
    m_latency.writePrometheus(out, "flashsale_buy_duration_seconds",
                              "Time from a buy request's arrival to its answer.");
}

void OrderMetrics::orderCreatedAt(qint64 reservedAtMs, qint64 nowMs)
{
    m_created.fetch_add(1, std::memory_order_relaxed);
    m_orders.addAt(1, nowMs);
    // Clocks of different hosts may disagree a little: a lag is never negative.
    m_lag.recordAt(double(std::max<qint64>(0, nowMs - reservedAtMs)), nowMs);
}

SecondFigures OrderMetrics::figuresIn(qint64 second) const
{
    SecondFigures f;
    f.second = second;
    f.orders = m_orders.countIn(second);
    f.orderLag = m_lag.countsIn(second);
    return f;
}

void OrderMetrics::writePrometheus(PrometheusText &out) const
{
    out.family("flashsale_orders_created_total", "counter",
               "New orders committed by this process's order workers.");
    out.sample("flashsale_orders_created_total", double(ordersCreated()));
    m_lag.writePrometheus(out, "flashsale_order_lag_seconds",
                          "Time from a unit's reservation in Redis to its committed order.");
}

} // namespace flashsale::metrics
