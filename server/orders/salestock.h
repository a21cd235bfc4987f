#pragma once

#include <QtGlobal>

namespace flashsale::orders {

/// The database's side of one sale's stock, for the reconciler's drift check.
struct SaleStock
{
    qint64 goodsId = 0; ///< product
    qint64 preloadedStock = 0; ///< miaosha_goods.preloaded_stock: units put on sale
    qint64 stock = 0; ///< miaosha_goods.stock: units the database has not sold
    qint64 liveOrders = 0; ///< orders not cancelled (created or paid)
};

} // namespace flashsale::orders
