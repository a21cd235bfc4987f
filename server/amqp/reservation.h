#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

namespace flashsale::amqp {

/// One unit of stock reserved in Redis for one shopper, on its way to become an order.
///
/// The order message (the AMQP body the publisher sends and the consumer reads) carries a
/// batch of these. Format, version 1: a persistent message, content type
/// `application/json`, on the orders exchange with routing key `order`:
///
///     {"v":1,"reservations":[
///         {"id":"r-1-42","goodsId":1,"userId":42,"reservedAt":1718000000123}, ...]}
///
/// - `id`: the reservation id the Redis reserve script returned (non-empty string, at most
///   200 characters); unique over all products, so it is the order's idempotency key.
/// - `goodsId`, `userId`: positive integers (JSON numbers, exact up to 2^53).
/// - `reservedAt`: when Redis reserved the unit, milliseconds since the Unix epoch, UTC.
///
/// Headers: `x-flashsale-attempts` (long) counts how often the consumer has already given
/// the message back for another try; absent on the first delivery. Readers ignore unknown
/// fields; a message with another `v`, or malformed, is poison (dead-lettered at once).
struct Reservation
{
    QString id; ///< reservation id from the reserve script, the idempotency key
    qint64 goodsId = 0; ///< product (miaosha_goods.goods_id)
    qint64 userId = 0; ///< shopper (users.id)
    qint64 reservedAtMs = 0; ///< reservation time, ms since the epoch, UTC

    /// The reservation time as a QDateTime (UTC).
    QDateTime reservedAt() const { return QDateTime::fromMSecsSinceEpoch(reservedAtMs, Qt::UTC); }

    friend bool operator==(const Reservation &, const Reservation &) = default;
};

} // namespace flashsale::amqp
