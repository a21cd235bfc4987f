#pragma once

#include "amqpconsumer.h"
#include "orderbatchprocessor.h"
#include "orderworkeroptions.h"

#include <QObject>
#include <QThread>

#include <memory>

namespace flashsale::orders {

/// Drains the orders queue into PostgreSQL: consumes batches (manual ack, prefetch),
/// creates their orders in one transaction each (OrderRepository), records each shopper's
/// result in Redis (ShopperResults: the order, or the unit back and "failed"), and only
/// then acks. A batch that fails is given back for another try; after maxAttempts tries,
/// and at once for an unreadable message, it goes to the dead-letter queue (see
/// DeadLetterCompensator). While Redis is down, committed batches wait unacked. Any number of
/// workers, in one process or many, can drain the same queue into the same database.
class OrderWorker : public QObject
{
    Q_OBJECT
public:
    explicit OrderWorker(OrderWorkerOptions options, QObject *parent = nullptr);
    /// Stops (see stop()).
    ~OrderWorker() override;

    /// Starts consuming (connections are made, and remade, in the background).
    void start();
    /// Stops consuming; what is not acked yet goes back to the queue for another worker.
    void stop();

    const OrderWorkerStats &stats() const { return m_stats; }
    const amqp::ConsumerStats &consumerStats() const { return m_consumer.stats(); }

Q_SIGNALS:
    /// A batch of orders was committed, recorded in Redis and acked (one outcome per
    /// reservation).
    void settled(const QList<flashsale::orders::OrderOutcome> &outcomes);

private:
    OrderWorkerStats m_stats;
    amqp::AmqpConsumer m_consumer;
    QThread m_thread;
    OrderBatchProcessor *m_processor = nullptr;
    bool m_started = false;
};

} // namespace flashsale::orders
