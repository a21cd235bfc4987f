#pragma once

#include "rollingrate.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <array>
#include <atomic>

namespace flashsale::metrics {

/// How one buy request ended, as counted in Stats and /metrics.
enum class Outcome {
    Queued, ///< 202: reserved and queued
    SoldOut, ///< 410 sold_out
    Duplicate, ///< 409 duplicate
    TooFrequent, ///< 429 too_frequent (per-user window)
    RateLimited, ///< 429 rate_limited (token bucket)
    Degraded, ///< 503 degraded (switch, breaker, admission)
    Rejected, ///< 4xx for a bad request (path, window, token)
    Error, ///< 5xx other than degraded
};
constexpr int outcomeCount = int(Outcome::Error) + 1;

/// The name of \a outcome as in docs/api.md ("queued", "sold_out", ...).
QString outcomeName(Outcome outcome);

/// This instance's counters: HTTP requests and buy outcomes, totals and per-second rates.
/// Lock-free; shared by every HTTP thread.
class SaleMetrics
{
public:
    void countRequest() { m_requests.fetch_add(1, std::memory_order_relaxed); }
    void count(Outcome outcome);
    void countOrders(qint64 n) { m_orders.add(n); }

    qint64 requests() const { return m_requests.load(std::memory_order_relaxed); }
    qint64 total(Outcome outcome) const;
    double perSecond(Outcome outcome) const;

    /// {queued: r, sold_out: r, ...}: outcomes per second over the last second.
    QJsonObject ratesJson() const;

    /// The counters in Prometheus text (families flashsale_http_requests_total and
    /// flashsale_buy_requests_total{outcome}).
    void writePrometheus(class PrometheusText &out) const;

private:
    std::atomic<qint64> m_requests = 0;
    std::array<std::atomic<qint64>, outcomeCount> m_totals {};
    std::array<RollingRate, outcomeCount> m_rates;
    RollingRate m_orders;
};

} // namespace flashsale::metrics
