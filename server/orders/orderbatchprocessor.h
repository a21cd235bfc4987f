#pragma once

#include "amqpconsumer.h"
#include "orderoutcome.h"
#include "orderrepository.h"
#include "orderworkeroptions.h"

#include <QObject>

#include <atomic>
#include <memory>

namespace flashsale::orders {

/// Counters of an OrderWorker, readable from any thread.
struct OrderWorkerStats
{
    std::atomic<qint64> ordersCreated {0}; ///< new orders committed
    std::atomic<qint64> alreadyCreated {0}; ///< redelivered reservations that had their order
    std::atomic<qint64> rejected {
        0}; ///< reservations that got no order (sold out, duplicate shopper, unknown product)
    std::atomic<qint64> transactions {0}; ///< committed batches
    std::atomic<qint64> failedBatches {0}; ///< batches given back for another try (database errors)
    std::atomic<qint64> poisonMessages {0}; ///< unreadable messages sent to the dead-letter queue
};

/// The worker's database side, on the worker's own thread with its own connection: turns
/// delivered batches into orders, then settles the deliveries with the consumer.
class OrderBatchProcessor : public QObject
{
    Q_OBJECT
public:
    OrderBatchProcessor(OrderWorkerOptions options, amqp::AmqpConsumer &consumer,
                        OrderWorkerStats &stats);
    ~OrderBatchProcessor() override;

    /// Queues \a batch; everything queued is processed together when the thread is free.
    void take(const QList<amqp::Delivery> &batch);
    /// Closes the database connection (on the worker thread).
    Q_INVOKABLE void shutdown();

Q_SIGNALS:
    /// Orders committed (and their deliveries acked): one outcome per reservation.
    void settled(const QList<flashsale::orders::OrderOutcome> &outcomes);

private:
    void processPending();
    bool ensureDatabase();

    OrderWorkerOptions m_options;
    amqp::AmqpConsumer &m_consumer;
    OrderWorkerStats &m_stats;
    QString m_connectionName;
    std::unique_ptr<OrderRepository> m_repository;
    QList<amqp::Delivery> m_pending;
    bool m_scheduled = false;
};

} // namespace flashsale::orders
