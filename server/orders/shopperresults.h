#pragma once

#include "orderoutcome.h"
#include "salescripts.h"

#include <QObject>

#include <functional>

namespace flashsale::orders {

/// The Redis step after orders are committed: tells each shopper what became of their
/// reservation. A reservation with an order gets it as its result (`confirm`, which clears
/// the pending reservation); one without gets its unit back and the result failed
/// (`rollback(Failed)`). Orders are confirmed in one script call per product and up to
/// maxConfirmsPerCall of them (`confirm_many`, confirm's logic per shopper); all calls are
/// pipelined; both scripts are idempotent, so the step
/// can be run again for the same outcomes (a redelivered batch) at no risk.
class ShopperResults
{
public:
    /// What one run of the step came to.
    struct Report
    {
        bool ok = true; ///< every outcome was recorded (else run it again later)
        QString error; ///< the first failure, when not ok
        int confirmed = 0; ///< results set to their order (or that already were)
        int returned = 0; ///< units given back to Redis stock by this run
        /// Orders committed for reservations Redis had rolled back before they were
        /// confirmed (their unit is back in Redis stock already): the caller must cancel
        /// them in the database too, or the database's stock stays one unit short.
        QList<qint64> ordersToCancel;
    };

    /// Scripts on \a redis, which must outlive this object.
    explicit ShopperResults(redis::Redis *redis);

    /// Records \a outcomes; \a done runs once when every reply is in (not if \a context
    /// is destroyed first).
    void record(const QList<OrderOutcome> &outcomes, QObject *context,
                std::function<void(const Report &)> done) const;

    /// Orders confirmed per script call at most (a longer call blocks Redis longer).
    static constexpr int maxConfirmsPerCall = 500;

private:
    /// Shared by the callbacks: the last reply to arrive hands the report over.
    struct Run
    {
        Report report;
        qsizetype waiting = 0;
        std::function<void(const Report &)> done;

        void fail(const QString &error)
        {
            if (report.ok)
                report.error = error;
            report.ok = false;
        }
        void answered()
        {
            if (--waiting == 0)
                done(report);
        }
    };

    static void recordConfirms(Run &run, const QList<OrderOutcome> &call,
                               const Result<QList<redis::ConfirmOutcome>> &outcomes);

    redis::SaleScripts m_scripts;
};

} // namespace flashsale::orders
