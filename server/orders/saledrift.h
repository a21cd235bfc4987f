#pragma once

#include <QMetaType>
#include <QtGlobal>

namespace flashsale::orders {

/// One sale's stock as Redis and the database see it, measured by the Reconciler. Once the
/// queue has drained, every unit is in exactly one place: Redis stock, a live reservation,
/// or an order.
struct SaleDrift
{
    qint64 goodsId = 0; ///< the product
    qint64 preloadedStock = 0; ///< units put on sale (miaosha_goods.preloaded_stock)
    qint64 databaseStock = 0; ///< miaosha_goods.stock
    qint64 liveOrders = 0; ///< orders created or paid (not cancelled)
    bool inRedis = false; ///< Redis has the sale (stock loaded)
    qint64 redisStock = 0; ///< units Redis can still hand out
    qint64 redisPending = 0; ///< reservations without an order yet
    qint64 redisTotal = 0; ///< units Redis was ever loaded with (preload + top-ups)
    bool soldOut = false; ///< Redis's sold-out mark

    /// Redis stock + pending + orders - preloaded stock: 0 once the queue drains; above 0,
    /// units are counted twice (e.g. an order whose confirm is still on its way, or a
    /// top-up), below 0, units are lost (a reservation whose publish never happened and
    /// that lost its pending entry).
    qint64 drift() const { return redisStock + redisPending + liveOrders - preloadedStock; }
    /// Database stock + orders - preloaded stock: always 0 (one transaction keeps both).
    qint64 databaseDrift() const { return databaseStock + liveOrders - preloadedStock; }
};

} // namespace flashsale::orders

Q_DECLARE_METATYPE(flashsale::orders::SaleDrift)
