#pragma once

#include "result.h"

#include <QSqlDatabase>

#include <optional>

namespace flashsale::catalog {

/// Shoppers' own orders in `miaosha_order`, as the status poll reads them. Calls block: run
/// them on a db::SqlExecutor thread. Paying and cancelling are orders::OrderPayments's.
namespace shopperorders {

/// The id of the shopper's order of \a goodsId, if there is one.
Result<std::optional<qint64>> findForGoods(QSqlDatabase &db, qint64 userId, qint64 goodsId);

} // namespace shopperorders

} // namespace flashsale::catalog
