#include "shopperresults.h"

#include "orderrepository.h"

#include <memory>

namespace flashsale::orders {

using redis::ConfirmOutcome;
using redis::RollbackOutcome;

ShopperResults::ShopperResults(redis::Redis *redis)
    : m_scripts(redis)
{ }

void ShopperResults::record(const QList<OrderOutcome> &outcomes, QObject *context,
                            std::function<void(const Report &)> done) const
{
    if (outcomes.isEmpty()) {
        done(Report());
        return;
    }
    // Shared by the callbacks: the last reply to arrive hands the report over.
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
    auto run = std::make_shared<Run>();
    run->waiting = outcomes.size();
    run->done = std::move(done);
    for (const OrderOutcome &o : outcomes) {
        if (o.hasOrder()) {
            m_scripts.confirm(
                o.goodsId, o.userId, o.orderId, context, [run, o](const ConfirmOutcome &c) {
                    switch (c.kind) {
                    case ConfirmOutcome::Kind::Confirmed:
                    case ConfirmOutcome::Kind::AlreadyConfirmed:
                    case ConfirmOutcome::Kind::NoReservation:
                        ++run->report.confirmed;
                        break;
                    case ConfirmOutcome::Kind::OtherOrder:
                        // (user, goods) is unique in the database, so the other order
                        // cannot be live: Redis holds a stale result. Worth a look, not a retry.
                        qCWarning(lcOrders).noquote()
                            << "order" << o.orderId << "of reservation" << o.reservation
                            << ": Redis names another order as the result of user" << o.userId
                            << "for goods" << o.goodsId;
                        ++run->report.confirmed;
                        break;
                    case ConfirmOutcome::Kind::RolledBack:
                        run->report.ordersToCancel.append(o.orderId);
                        break;
                    case ConfirmOutcome::Kind::Error:
                        run->fail(QStringLiteral("confirm of %1: %2").arg(o.reservation, c.error));
                        break;
                    }
                    run->answered();
                });
        } else {
            m_scripts.rollback(
                o.goodsId, o.userId, redis::RollbackReason::Failed, context,
                [run, o](const RollbackOutcome &r) {
                    if (r.kind == RollbackOutcome::Kind::Error)
                        run->fail(QStringLiteral("rollback of %1: %2").arg(o.reservation, r.error));
                    else if (r.kind == RollbackOutcome::Kind::Returned)
                        ++run->report.returned;
                    run->answered();
                });
        }
    }
}

} // namespace flashsale::orders
