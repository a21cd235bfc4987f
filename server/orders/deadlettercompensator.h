#pragma once

#include "amqpconsumer.h"
#include "databaseurl.h"
#include "orderrepository.h"
#include "redis.h"
#include "shopperresults.h"

#include <QObject>

#include <atomic>
#include <memory>

namespace flashsale::orders {

/// What a DeadLetterCompensator reads and where it writes.
struct DeadLetterOptions
{
    amqp::ConsumerOptions consumer; ///< the broker; consumer.queue empty: the dead-letter queue
    db::DatabaseUrl database; ///< PostgreSQL, to see which reservations got their order after all
    QString redisUrl; ///< Redis, where units go back and results are recorded
    redis::RedisOptions redis; ///< the Redis client's timeouts
};

/// Counters of a DeadLetterCompensator, readable from any thread.
struct DeadLetterStats
{
    std::atomic<qint64> messages {0}; ///< dead messages settled
    std::atomic<qint64> unitsReturned {0}; ///< units given back to Redis stock
    std::atomic<qint64> resultsFailed {0}; ///< reservations whose result is now failed
    std::atomic<qint64> ordersFound {0}; ///< reservations that had their order after all
    std::atomic<qint64> unreadable {0}; ///< messages nobody can read (logged with their body)
    std::atomic<qint64> failures {0}; ///< attempts that failed (database or Redis) and were retried
};

/// Compensates what lands in the dead-letter queue: a reservation whose message kept
/// failing gets its unit back in Redis and the shopper's result "failed"
/// (`rollback(Failed)`). A reservation whose order was committed after all (the message
/// died in the Redis step) gets that order as its result instead. Both steps are idempotent,
/// so a message is acked only once all of it is done; a failure holds it and tries again.
///
/// Lives on one thread (its database calls block it: not an event loop that serves
/// requests); call start() and stop() on that thread.
class DeadLetterCompensator : public QObject
{
    Q_OBJECT
public:
    explicit DeadLetterCompensator(DeadLetterOptions options, QObject *parent = nullptr);
    /// Stops (see stop()).
    ~DeadLetterCompensator() override;

    /// Connects (Redis, the broker; the database on first use) and starts consuming.
    Q_INVOKABLE void start();
    /// Stops consuming; what is not acked stays in the dead-letter queue.
    Q_INVOKABLE void stop();

    const DeadLetterStats &stats() const { return m_stats; }
    bool isConsuming() const { return m_consumer && m_consumer->isConnected(); }

Q_SIGNALS:
    /// Dead reservations were settled (one outcome each: GivenUp, or their order).
    void compensated(const QList<flashsale::orders::OrderOutcome> &outcomes);

private:
    void take(const QList<amqp::Delivery> &batch);
    void process(QList<amqp::Delivery> deliveries, int failures);
    void failed(const QList<amqp::Delivery> &deliveries, int failures, const QString &error);
    bool ensureDatabase();

    DeadLetterOptions m_options;
    DeadLetterStats m_stats;
    QString m_connectionName;
    std::unique_ptr<amqp::AmqpConsumer> m_consumer;
    std::unique_ptr<redis::Redis> m_redis;
    std::unique_ptr<ShopperResults> m_results;
    std::unique_ptr<OrderRepository> m_repository;
    bool m_stopped = false;
};

} // namespace flashsale::orders
