#include "shopperorderdesk.h"

#include "orderpayments.h"
#include "salescripts.h"
#include "shopperorders.h"
#include "sqlexecutor.h"

namespace flashsale::orders {

ShopperOrderDesk::ShopperOrderDesk(db::SqlExecutor *sql, OrderPayments *payments,
                                   std::function<void()> onCancelled)
    : m_sql(sql)
    , m_payments(payments)
    , m_onCancelled(std::move(onCancelled))
{ }

void ShopperOrderDesk::fromDatabase(qint64 goodsId, qint64 userId,
                                    std::function<void(const Standing &)> done) const
{
    (void)m_sql->run([goodsId, userId, done = std::move(done)](QSqlDatabase &db) {
        Standing s;
        const auto found = catalog::shopperorders::findForGoods(db, userId, goodsId);
        if (!found) {
            s.error = found.error();
        } else if (!found.value()) {
            s.kind = Standing::Kind::None;
        } else {
            s.kind = Standing::Kind::Created;
            s.orderId = *found.value();
        }
        done(s);
        return 0;
    });
}

void ShopperOrderDesk::standing(qint64 goodsId, qint64 userId, const redis::SaleScripts *scripts,
                                QObject *context, std::function<void(const Standing &)> done) const
{
    if (!scripts)
        return fromDatabase(goodsId, userId, std::move(done));
    scripts->status(
        goodsId, userId, context,
        [this, goodsId, userId, done = std::move(done)](const redis::ShopperStatus &st) {
            using State = redis::ShopperStatus::State;
            Standing s;
            switch (st.state) {
            case State::Queued:
                s.kind = Standing::Kind::Queued;
                s.position = st.position;
                return done(s);
            case State::Created:
                s.kind = Standing::Kind::Created;
                s.orderId = st.orderId;
                return done(s);
            case State::Failed:
                s.kind = Standing::Kind::Failed;
                return done(s);
            case State::None:
            case State::Error:
                break;
            }
            fromDatabase(goodsId, userId, done);
        });
}

void ShopperOrderDesk::pay(qint64 orderId, qint64 userId, QObject *context,
                           std::function<void(const Result<OrderChange> &)> done) const
{
    if (!m_payments)
        return done(Result<OrderChange>::failure(QStringLiteral("no payments on this instance")));
    m_payments->pay(orderId, userId, context, std::move(done));
}

void ShopperOrderDesk::cancel(qint64 orderId, qint64 userId, QObject *context,
                              std::function<void(const Result<OrderChange> &)> done) const
{
    if (!m_payments)
        return done(Result<OrderChange>::failure(QStringLiteral("no payments on this instance")));
    m_payments->cancel(
        orderId, userId, context,
        [onCancelled = m_onCancelled, done = std::move(done)](const Result<OrderChange> &changed) {
            done(changed);
            // The database's stock changed: the caller reloads its catalog
            // (other instances hear `restocked` from the rollback script).
            if (changed && changed->kind == OrderChange::Kind::Done && onCancelled)
                onCancelled();
        });
}

} // namespace flashsale::orders
