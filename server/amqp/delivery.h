#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>

namespace flashsale::amqp {

/// One message handed out by an AmqpConsumer, to be settled exactly once through it
/// (ack, retry or deadLetter).
struct Delivery
{
    quint64 tag = 0; ///< delivery tag on the consumer's channel
    quint64 generation = 0; ///< the connection that delivered it; settling an older one is a no-op
    QByteArray body; ///< the message body (see reservation.h for the order format)
    int attempt = 1; ///< 1 on the first try; counts earlier failed tries and redeliveries
};

} // namespace flashsale::amqp

Q_DECLARE_METATYPE(flashsale::amqp::Delivery)
