#pragma once

#include "amqpconsumer.h"
#include "orderoutcome.h"
#include "orderrepository.h"
#include "orderworkeroptions.h"
#include "redis.h"
#include "shopperresults.h"

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
    std::atomic<qint64> resultsConfirmed {0}; ///< shoppers' results set to their order in Redis
    std::atomic<qint64> unitsReturned {0}; ///< units of order-less reservations back in Redis
    std::atomic<qint64> ordersCompensated {
        0}; ///< orders cancelled because Redis had rolled their reservation back first
    std::atomic<qint64> redisFailures {0}; ///< Redis steps that failed and were run again
    std::atomic<bool> redisConnected {false}; ///< whether the worker's Redis client is up
};

/// The worker's database and Redis side, on the worker's own thread with its own
/// connections: turns delivered batches into orders, records the shoppers' results in
/// Redis, then settles the deliveries with the consumer.
class OrderBatchProcessor : public QObject
{
    Q_OBJECT
public:
    OrderBatchProcessor(OrderWorkerOptions options, amqp::AmqpConsumer &consumer,
                        OrderWorkerStats &stats);
    ~OrderBatchProcessor() override;

    /// Opens the Redis client (on the worker thread, before the first batch).
    Q_INVOKABLE void initialize();
    /// Queues \a batch; everything queued is processed together when the thread is free.
    void take(const QList<amqp::Delivery> &batch);
    /// Closes the database connection (on the worker thread).
    Q_INVOKABLE void shutdown();

Q_SIGNALS:
    /// Orders committed and recorded in Redis (their deliveries acked): one outcome per
    /// reservation.
    void settled(const QList<flashsale::orders::OrderOutcome> &outcomes);

private:
    /// A committed chunk waiting for its Redis step.
    struct Committed
    {
        QList<amqp::Delivery> deliveries;
        QList<OrderOutcome> outcomes;
        int failures = 0; ///< Redis steps of it that failed so far
        /// Reservations of its (single) delivery the database refused: once the rest is
        /// recorded, the delivery goes back to the queue with only these.
        QList<amqp::Reservation> refused;
    };

    void processPending();
    bool ensureDatabase();
    void countOutcomes(const QList<OrderOutcome> &outcomes,
                       const QList<amqp::Reservation> &reservations);
    void isolateFailures(const QList<amqp::Delivery> &chunk,
                         const QList<QList<amqp::Reservation>> &perDelivery);
    void recordInRedis(Committed committed);
    void redisStepFailed(Committed committed, const QString &error);

    OrderWorkerOptions m_options;
    amqp::AmqpConsumer &m_consumer;
    OrderWorkerStats &m_stats;
    QString m_connectionName;
    std::unique_ptr<OrderRepository> m_repository;
    std::unique_ptr<redis::Redis> m_redis;
    std::unique_ptr<ShopperResults> m_results;
    QList<amqp::Delivery> m_pending;
    bool m_scheduled = false;
    bool m_stopped = false;
    bool m_redisStepFailing = false; ///< to log a spell of Redis failures once
};

} // namespace flashsale::orders
