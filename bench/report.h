#pragma once

#include "chaosmonkey.h"
#include "invariants.h"
#include "shopper.h"
#include "tally.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

#include <vector>

namespace flashsale::bench {

/// The sale's figures as the admin API gave them at one moment.
struct SaleSample
{
    double atS = 0; ///< seconds from the sale's start
    qint64 stockLeft = 0; ///< Redis stock
    qint64 pending = 0; ///< reservations not yet orders
    qint64 orders = 0; ///< orders created
    double serverOrderLagP99Ms = 0; ///< /admin/live's orderLagMs p99 (0: none that second)
};

/// p50, p90, p99 and max of a set of latencies, ms.
struct Percentiles
{
    qint64 count = 0;
    double p50 = 0, p90 = 0, p99 = 0, max = 0;
    static Percentiles of(std::vector<double> values);
    QJsonObject toJson() const;
};

/// What a rehearsal measured, worked out from the samples: the terminal report, report.json
/// and the plots (plots.cpp) all read this one object.
class RehearsalReport
{
public:
    struct Input
    {
        qint64 goodsId = 0;
        qint64 preloadedStock = 0;
        int challengeBits = 0;
        QString mode; ///< "closed loop, 64 connections" or "open loop, 500/s"
        int shoppers = 0; ///< asked for
        int signedIn = 0; ///< with a session
        double accountsSeconds = 0; ///< the sign-up (or sign-in) phase
        double saleSeconds = 0; ///< the sale phase, from the reveal to the last resolution
        double revealBeforeStartS = 0; ///< seconds from the reveal to the start
        std::vector<Sample> samples; ///< every answer of the sale phase
        const std::vector<Shopper> *shoppersState = nullptr;
        QList<SaleSample> saleSamples; ///< about once a second
        QList<Invariant> invariants;
        double clientCpuUs = 0; ///< the tool's CPU over the sale phase, solving excluded
        double solveCpuUs = 0; ///< CPU spent on proofs of work
        qint64 requestsSent = 0; ///< in the sale phase
        QList<ChaosEvent> chaos; ///< what --chaos did
    };

    explicit RehearsalReport(Input input);

    /// The report for people, as printed at the end.
    QString text() const;
    QJsonObject toJson() const;
    /// Writes report.json and the plots into \a dir; the error names the file that failed.
    Status write(const QString &dir) const;

    /// Seconds from the sale's start until it sold out (the first sold_out answer), -1 when
    /// it did not.
    double soldOutAfterS() const { return m_soldOutAfterS; }

private:
    Status writePlots(const QString &dir) const;

    Input m_in;
    QMap<Outcome, Percentiles> m_buyLatency; ///< by outcome
    QMap<RequestKind, Percentiles> m_otherLatency; ///< path, challenge, poll
    QMap<Outcome, qint64> m_buyCounts;
    Percentiles m_orderLag; ///< 202 to created seen by a poll
    QMap<Ending, qint64> m_endings;
    double m_buyThroughput = 0; ///< buy answers per second over the buying window
    double m_throughput = 0; ///< all answers per second over the sale phase
    double m_buyWindowS = 0;
    double m_soldOutAfterS = -1;
    double m_lastAcceptedS = -1;
    double m_serverOrderLagP99Ms = 0; ///< highest p99 the site reported
};

} // namespace flashsale::bench
