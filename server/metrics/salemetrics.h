#pragma once

#include "histogram.h"
#include "productrates.h"
#include "rollingrate.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <array>
#include <atomic>
#include <chrono>

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

struct SecondFigures;

/// This instance's counters: HTTP requests and buy outcomes, totals and per-second rates,
/// buys accepted per product, the buy latency histogram. Lock-free; shared by every HTTP
/// thread.
class SaleMetrics
{
public:
    using Clock = std::chrono::steady_clock;

    void countRequest() { m_requests.fetch_add(1, std::memory_order_relaxed); }
    /// Counts one buy answer for \a goodsId: its outcome, its latency since \a started (when
    /// the request arrived) and, for a 202, the product's accepted rate.
    void recordBuy(qint64 goodsId, Outcome outcome, Clock::time_point started);
    /// Counts an outcome alone (no product, no latency: for answers given before either is
    /// known).
    void count(Outcome outcome);

    qint64 requests() const { return m_requests.load(std::memory_order_relaxed); }
    qint64 total(Outcome outcome) const;
    double perSecond(Outcome outcome) const;

    /// {queued: r, sold_out: r, ...}: outcomes per second over the last second.
    QJsonObject ratesJson() const;
    const ProductRates &accepted() const { return m_accepted; }
    const Histogram &buyLatency() const { return m_latency; }

    /// What this instance counted in the wall-clock second \a second (for the site's live
    /// figures).
    SecondFigures figuresIn(qint64 second) const;

    /// The counters in Prometheus text (families flashsale_http_requests_total,
    /// flashsale_buy_requests_total{outcome}, flashsale_buy_duration_seconds).
    void writePrometheus(class PrometheusText &out) const;

private:
    std::atomic<qint64> m_requests = 0;
    std::array<std::atomic<qint64>, outcomeCount> m_totals {};
    std::array<RollingRate, outcomeCount> m_rates;
    ProductRates m_accepted;
    Histogram m_latency;
};

/// A worker process's counters: new orders committed and the order lag (from the
/// reservation in Redis to the committed order), totals and per second. Lock-free; shared
/// by every order worker thread.
class OrderMetrics
{
public:
    /// Counts one new order committed now for a unit reserved at \a reservedAtMs.
    void orderCreated(qint64 reservedAtMs) { orderCreatedAt(reservedAtMs, RollingRate::nowMs()); }
    void orderCreatedAt(qint64 reservedAtMs, qint64 nowMs);

    qint64 ordersCreated() const { return m_created.load(std::memory_order_relaxed); }
    const Histogram &orderLag() const { return m_lag; }
    /// What the workers counted in the wall-clock second \a second.
    SecondFigures figuresIn(qint64 second) const;

    /// flashsale_orders_created_total and flashsale_order_lag_seconds.
    void writePrometheus(class PrometheusText &out) const;

private:
    std::atomic<qint64> m_created = 0;
    RollingRate m_orders;
    Histogram m_lag;
};

} // namespace flashsale::metrics
