#include "salemetrics.h"

#include "prometheustext.h"

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

void SaleMetrics::writePrometheus(PrometheusText &out) const
{
    out.family("flashsale_http_requests_total", "counter",
               "HTTP requests received by this instance.");
    out.sample("flashsale_http_requests_total", double(requests()));
    out.family("flashsale_buy_requests_total", "counter", "Buy requests by outcome.");
    for (int i = 0; i < outcomeCount; ++i)
        out.sample("flashsale_buy_requests_total", double(total(Outcome(i))),
                   {{"outcome", outcomeName(Outcome(i)).toLatin1()}});
}

} // namespace flashsale::metrics
