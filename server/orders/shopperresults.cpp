#include "shopperresults.h"

#include "orderrepository.h"

#include "salekeys.h"

#include <map>
#include <memory>

namespace flashsale::orders {

using redis::ConfirmOutcome;
using redis::RollbackOutcome;

ShopperResults::ShopperResults(redis::Redis *redis)
    : m_redis(redis)
    , m_scripts(redis)
{ }

const redis::RedisScript &ShopperResults::confirmManyScript()
{
    static const redis::RedisScript script = [] {
        Result<redis::RedisScript> loaded =
            redis::RedisScript::fromFile(QStringLiteral(":/lua/confirm_many.lua"));
        // A missing resource is a build defect (flashsale::lua not linked), not a runtime state.
        if (!loaded)
            qFatal("%s", qPrintable(loaded.error()));
        return loaded.value();
    }();
    return script;
}

void ShopperResults::recordConfirms(Run &run, const QList<OrderOutcome> &call,
                                    const redis::RedisReply &reply)
{
    const QList<redis::RedisReply> &codes = reply.elements();
    if (reply.type() != redis::RedisReply::Type::Array || codes.size() != call.size()) {
        run.fail(QStringLiteral("confirm of %1 orders: %2")
                     .arg(call.size())
                     .arg(reply.isError() ? reply.errorMessage() : reply.toString()));
        return;
    }
    for (qsizetype i = 0; i < call.size(); ++i) {
        const OrderOutcome &o = call.at(i);
        const ConfirmOutcome c = ConfirmOutcome::fromReply(codes.at(i));
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
        const redis::SaleKeys keys(call.first().goodsId);
        QList<QByteArray> args;
        args.reserve(call.size() * 2);
        for (const OrderOutcome &o : call) {
            args.append(QByteArray::number(o.userId));
            args.append(QByteArray::number(o.orderId));
        }
        m_redis->evalScript(confirmManyScript(), {keys.results, keys.pending}, args, context,
                            [run, call](const redis::RedisReply &reply) {
                                recordConfirms(*run, call, reply);
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
