#pragma once

#include "adminapi/stats.h"
#include "rollingseries.h"

#include <QDateTime>
#include <QMap>
#include <QObject>

namespace flashsale::console {

/// What the live charts and the report show: the 1 Hz feed as series kept for the whole
/// watched period (up to a day: requests per second by outcome, orders per second, queue
/// depth, stock left per product; the charts show the last liveWindowMs() of it, the report
/// all of it), and running totals since the console started watching this server.
class LiveHistory : public QObject
{
    Q_OBJECT
public:
    explicit LiveHistory(qint64 windowMs = 24 * 60 * 60 * 1000, QObject *parent = nullptr);

    /// What the live charts show: the last five minutes.
    static constexpr qint64 liveWindowMs() { return 5 * 60 * 1000; }

    /// Takes one live message; ignored (false) if older than the newest one.
    bool append(const adminapi::Stats &stats);
    void clear();

    const RollingSeries &requests(const QString &outcome) const;
    const RollingSeries &orders() const { return m_orders; }
    const RollingSeries &queueDepth() const { return m_queueDepth; }
    const RollingSeries &deadLetters() const { return m_deadLetters; }
    /// Site-wide buy latency and order lag percentiles (ms); a second without any buy or
    /// order adds no point.
    const RollingSeries &latencyP50() const { return m_latencyP50; }
    const RollingSeries &latencyP99() const { return m_latencyP99; }
    const RollingSeries &orderLagP50() const { return m_orderLagP50; }
    const RollingSeries &orderLagP99() const { return m_orderLagP99; }
    /// Stock left per goodsId.
    const QMap<qint64, RollingSeries> &stock() const { return m_stock; }

    /// Requests answered with each outcome since the first sample (sum of the per-second
    /// rates: one sample per second).
    const QMap<QString, double> &outcomeTotals() const { return m_outcomeTotals; }
    double ordersTotal() const { return m_ordersTotal; }
    /// Highest total requests per second seen.
    double peakRequestsPerSecond() const { return m_peakRequests; }
    qint64 samples() const { return m_samples; }
    QDateTime firstSample() const { return m_first; }
    QDateTime lastSample() const { return m_last; }
    /// The newest message.
    const adminapi::Stats &latest() const { return m_latest; }

Q_SIGNALS:
    /// A sample was added; the charts redraw.
    void appended();

private:
    qint64 m_windowMs = 0;
    QMap<QString, RollingSeries> m_requests;
    RollingSeries m_orders;
    RollingSeries m_queueDepth;
    RollingSeries m_deadLetters;
    RollingSeries m_latencyP50;
    RollingSeries m_latencyP99;
    RollingSeries m_orderLagP50;
    RollingSeries m_orderLagP99;
    QMap<qint64, RollingSeries> m_stock;
    QMap<QString, double> m_outcomeTotals;
    double m_ordersTotal = 0;
    double m_peakRequests = 0;
    qint64 m_samples = 0;
    QDateTime m_first;
    QDateTime m_last;
    adminapi::Stats m_latest;
    RollingSeries m_empty;
};

} // namespace flashsale::console
