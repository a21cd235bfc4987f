#include "shopperresults.h"

#include "orderrepository.h"

#include <map>
#include <memory>

namespace flashsale::orders {

using redis::ConfirmOutcome;
using redis::RollbackOutcome;

ShopperResults::ShopperResults(redis::Redis *redis)
    : m_scripts(redis)
{ }

void ShopperResults::recordConfirms(Run &run, const QList<OrderOutcome> &call,
                                    const Result<QList<ConfirmOutcome>> &outcomes)
{
    if (!outcomes) {
        run.fail(outcomes.error());
        return;
    }
    for (qsizetype i = 0; i < call.size(); ++i) {
        const OrderOutcome &o = call.at(i);
        const ConfirmOutcome &c = outcomes->at(i);
        switch (c.kind) {
        case ConfirmOutcome::Kind::Confirmed:
        case ConfirmOutcome::Kind::AlreadyConfirmed:
        case ConfirmOutcome::Kind::NoReservation:
            ++run.report.confirmed;
            break;
        case ConfirmOutcome::Kind::OtherOrder:
            // (user, goods) is unique in the database, so the other order cannot be live:
            // Redis holds a stale result. Worth a look, not a retry.
            qCWarning(lcOrders).noquote()
                << "order" << o.orderId << "of reservation" << o.reservation
                << ": Redis names another order as the result of user" << o.userId << "for goods"
                << o.goodsId;
            ++run.report.confirmed;
            break;
        case ConfirmOutcome::Kind::RolledBack:
            run.report.ordersToCancel.append(o.orderId);
            break;
        case ConfirmOutcome::Kind::Error:
            run.fail(QStringLiteral("confirm of %1: %2").arg(o.reservation, c.error));
            break;
        }
    }
}

void ShopperResults::record(const QList<OrderOutcome> &outcomes, QObject *context,
                            std::function<void(const Report &)> done) const
{
    if (outcomes.isEmpty()) {
        done(Report());
        return;
    }
    auto run = std::make_shared<ShopperResults::Run>();
    run->done = std::move(done);
    // Orders: one confirm_many call per product and chunk (one slot: every key of a product
    // carries its hash tag). Reservations without one: a rollback each (rare).
    std::map<qint64, QList<OrderOutcome>> confirmsByGoods;
    QList<OrderOutcome> rollbacks;
    for (const OrderOutcome &o : outcomes) {
        if (o.hasOrder())
            confirmsByGoods[o.goodsId].append(o);
        else
            rollbacks.append(o);
    }
    QList<QList<OrderOutcome>> confirmCalls;
    for (auto &[goodsId, confirms] : confirmsByGoods) {
        for (qsizetype i = 0; i < confirms.size(); i += maxConfirmsPerCall)
            confirmCalls.append(confirms.mid(i, maxConfirmsPerCall));
    }
    run->waiting = confirmCalls.size() + rollbacks.size();
    for (const QList<OrderOutcome> &call : std::as_const(confirmCalls)) {
        QList<redis::SaleScripts::Confirmation> confirmations;
        confirmations.reserve(call.size());
        for (const OrderOutcome &o : call)
            confirmations.append({o.userId, o.orderId});
        m_scripts.confirmMany(call.first().goodsId, confirmations, context,
                              [run, call](const Result<QList<ConfirmOutcome>> &outcomes) {
                                  recordConfirms(*run, call, outcomes);
                                  run->answered();
                              });
    }
    for (const OrderOutcome &o : std::as_const(rollbacks)) {
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

} // namespace flashsale::orders
