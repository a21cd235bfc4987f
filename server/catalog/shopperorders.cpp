#include "shopperorders.h"

#include "sqlerror.h"

#include <QDateTime>
#include <QSqlQuery>
#include <QVariant>

namespace flashsale::catalog {

namespace {

const QString columns =
    QStringLiteral("id, goods_id, status, price_cents, created_at, paid_at, cancelled_at");

QString iso(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

std::optional<qint64> optionalMs(const QVariant &v)
{
    if (v.isNull())
        return std::nullopt;
    return v.toDateTime().toMSecsSinceEpoch();
}

ShopperOrder readOrder(const QSqlQuery &q)
{
    return ShopperOrder {q.value(0).toLongLong(),
                         q.value(1).toLongLong(),
                         q.value(2).toString(),
                         q.value(3).toLongLong(),
                         q.value(4).toDateTime().toMSecsSinceEpoch(),
                         optionalMs(q.value(5)),
                         optionalMs(q.value(6))};
}

using Changed = Result<std::pair<OrderChange, std::optional<ShopperOrder>>>;

// The order as the shopper may see it (their own), for telling 404 from 409.
Changed explainRefusal(QSqlDatabase &db, qint64 userId, qint64 orderId)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT ") + columns
              + QStringLiteral(" FROM miaosha_order WHERE id = ? AND user_id = ?"));
    q.addBindValue(orderId);
    q.addBindValue(userId);
    if (!q.exec())
        return Changed::failure(db::queryFailure(db, q));
    if (!q.next())
        return Changed({OrderChange::NotFound, std::nullopt});
    return Changed({OrderChange::NotAllowed, readOrder(q)});
}

} // namespace

QJsonObject ShopperOrder::toJson() const
{
    QJsonObject json {{QStringLiteral("orderId"), orderId},
                      {QStringLiteral("goodsId"), goodsId},
                      {QStringLiteral("status"), status},
                      {QStringLiteral("priceCents"), priceCents},
                      {QStringLiteral("createdAt"), iso(createdAtMs)}};
    if (paidAtMs)
        json.insert(QStringLiteral("paidAt"), iso(*paidAtMs));
    if (cancelledAtMs)
        json.insert(QStringLiteral("cancelledAt"), iso(*cancelledAtMs));
    return json;
}

namespace shopperorders {

Result<std::optional<ShopperOrder>> findForGoods(QSqlDatabase &db, qint64 userId, qint64 goodsId)
{
    using R = Result<std::optional<ShopperOrder>>;
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT ") + columns
              + QStringLiteral(" FROM miaosha_order WHERE user_id = ? AND goods_id = ?"));
    q.addBindValue(userId);
    q.addBindValue(goodsId);
    if (!q.exec())
        return R::failure(db::queryFailure(db, q));
    if (!q.next())
        return R(std::nullopt);
    return R(readOrder(q));
}

Changed pay(QSqlDatabase &db, qint64 userId, qint64 orderId)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("UPDATE miaosha_order SET status = 'paid', paid_at = now() "
                             "WHERE id = ? AND user_id = ? AND status = 'created' RETURNING ")
              + columns);
    q.addBindValue(orderId);
    q.addBindValue(userId);
    if (!q.exec())
        return Changed::failure(db::queryFailure(db, q));
    if (q.next())
        return Changed({OrderChange::Done, readOrder(q)});
    return explainRefusal(db, userId, orderId);
}

Changed cancel(QSqlDatabase &db, qint64 userId, qint64 orderId)
{
    if (!db.transaction())
        return Changed::failure(QStringLiteral("cannot begin a transaction"));
    QSqlQuery q(db);
    q.prepare(QStringLiteral("UPDATE miaosha_order SET status = 'cancelled', cancelled_at = now() "
                             "WHERE id = ? AND user_id = ? AND status = 'created' RETURNING ")
              + columns);
    q.addBindValue(orderId);
    q.addBindValue(userId);
    if (!q.exec()) {
        const QString error = db::queryFailure(db, q);
        db.rollback();
        return Changed::failure(error);
    }
    if (!q.next()) {
        db.rollback();
        return explainRefusal(db, userId, orderId);
    }
    const ShopperOrder order = readOrder(q);
    QSqlQuery stock(db);
    stock.prepare(
        QStringLiteral("UPDATE miaosha_goods SET stock = stock + 1, version = version + 1 "
                       "WHERE goods_id = ?"));
    stock.addBindValue(order.goodsId);
    if (!stock.exec()) {
        const QString error = db::queryFailure(db, stock);
        db.rollback();
        return Changed::failure(error);
    }
    if (!db.commit()) {
        db.rollback();
        return Changed::failure(QStringLiteral("cannot commit the cancellation"));
    }
    return Changed({OrderChange::Done, order});
}

} // namespace shopperorders

} // namespace flashsale::catalog
