#pragma once

#include "result.h"

#include <QJsonObject>
#include <QSqlDatabase>

#include <optional>

namespace flashsale::catalog {

/// A shopper's order as `Order` of docs/api.md shows it.
struct ShopperOrder
{
    qint64 orderId = 0;
    qint64 goodsId = 0;
    QString status; ///< created, paid or cancelled
    qint64 priceCents = 0;
    qint64 createdAtMs = 0;
    std::optional<qint64> paidAtMs;
    std::optional<qint64> cancelledAtMs;

    QJsonObject toJson() const;
};

/// What paying for or cancelling an order came to.
enum class OrderChange {
    Done, ///< the order is now paid / cancelled
    NotFound, ///< no such order of this shopper
    NotAllowed, ///< the order is not in a state that allows it
};

/// Shoppers' own orders in `miaosha_order`. Calls block: run them on a db::SqlExecutor
/// thread. A shopper only ever sees and changes their own orders.
namespace shopperorders {

/// The shopper's order of \a goodsId, if there is one.
Result<std::optional<ShopperOrder>> findForGoods(QSqlDatabase &db, qint64 userId, qint64 goodsId);

/// Marks a created order paid.
Result<std::pair<OrderChange, std::optional<ShopperOrder>>> pay(QSqlDatabase &db, qint64 userId,
                                                                qint64 orderId);

/// Cancels a created (unpaid) order and gives its unit back to the database's stock, in
/// one transaction.
Result<std::pair<OrderChange, std::optional<ShopperOrder>>> cancel(QSqlDatabase &db, qint64 userId,
                                                                   qint64 orderId);

} // namespace shopperorders

} // namespace flashsale::catalog
