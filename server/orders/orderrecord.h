#pragma once

#include <QMetaType>
#include <QString>

#include <optional>

namespace flashsale::orders {

/// One row of `miaosha_order`, as payment, cancellation and the dead-letter compensator
/// read it (the `Order` of docs/api.md is made from it).
struct OrderRecord
{
    qint64 orderId = 0; ///< miaosha_order.id
    qint64 goodsId = 0; ///< product
    qint64 userId = 0; ///< shopper
    QString reservation; ///< the reservation id it was made from
    QString status; ///< "created", "paid" or "cancelled"
    qint64 priceCents = 0; ///< the flash price when it was made
    qint64 createdAtMs = 0; ///< ms since the epoch, UTC
    std::optional<qint64> paidAtMs; ///< set once paid
    std::optional<qint64> cancelledAtMs; ///< set once cancelled
};

} // namespace flashsale::orders

Q_DECLARE_METATYPE(flashsale::orders::OrderRecord)
