#pragma once

#include <QString>

namespace flashsale::amqp {

/// The broker objects the order pipeline uses. Declared by publisher and consumer alike at
/// every (re)connect, with the same arguments, so declaring is idempotent; a queue that
/// already exists with other arguments (say classic vs quorum) fails with the broker's
/// PRECONDITION_FAILED text rather than being silently reused.
struct AmqpTopology
{
    QString exchange = QStringLiteral("flashsale.orders"); ///< durable direct exchange
    QString routingKey = QStringLiteral("order"); ///< binds the orders queue to the exchange
    QString queue = QStringLiteral("flashsale.orders"); ///< durable orders queue
    QString deadLetterExchange = QStringLiteral("flashsale.orders.dlx"); ///< durable fanout
    QString deadLetterQueue = QStringLiteral("flashsale.orders.dead"); ///< poison messages
    bool quorum = false; ///< quorum queues (what a RabbitMQ cluster needs) instead of classic

    /// The default names with \a prefix in front of each (tests use one prefix each).
    static AmqpTopology withPrefix(const QString &prefix)
    {
        AmqpTopology t;
        t.exchange.prepend(prefix);
        t.queue.prepend(prefix);
        t.deadLetterExchange.prepend(prefix);
        t.deadLetterQueue.prepend(prefix);
        return t;
    }
};

} // namespace flashsale::amqp
