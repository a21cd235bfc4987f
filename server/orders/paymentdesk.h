#pragma once

#include "orderchange.h"
#include "orderpaymentsoptions.h"
#include "orderrepository.h"
#include "redis.h"
#include "result.h"
#include "salescripts.h"

#include <QObject>

#include <atomic>
#include <deque>
#include <functional>
#include <memory>

class QTimer;

namespace flashsale::orders {

/// Counters of OrderPayments, readable from any thread.
struct OrderPaymentsStats
{
    std::atomic<qint64> paid {0}; ///< orders paid
    std::atomic<qint64> cancelled {0}; ///< orders cancelled by their shopper
    std::atomic<qint64> timedOut {0}; ///< unpaid orders cancelled by the payment timeout
    std::atomic<qint64> unitsReturned {0}; ///< units given back to Redis stock by cancels
    std::atomic<qint64> failures {0}; ///< calls or sweeps that failed (database or Redis)
    std::atomic<bool> redisConnected {false}; ///< whether the Redis client is up
};

/// OrderPayments' thread side: one database connection and one Redis client, one job at a
/// time. A cancel holds its transaction open while Redis gives the unit back, so the two
/// happen together or not at all: a concurrent pay waits on the order's row lock, and a
/// failure in Redis rolls the database back (the caller may simply try again).
class PaymentDesk : public QObject
{
    Q_OBJECT
public:
    using ChangeCallback = std::function<void(const Result<OrderChange> &)>;
    using SweepCallback = std::function<void(const Result<int> &)>;

    PaymentDesk(OrderPaymentsOptions options, OrderPaymentsStats &stats);
    ~PaymentDesk() override;

    /// Opens Redis and starts the payment-timeout timer (on the desk's thread).
    Q_INVOKABLE void initialize();
    /// Drops the connections; jobs still queued fail.
    Q_INVOKABLE void shutdown();

    /// Queue a job; \a done runs on the desk's thread.
    void pay(qint64 orderId, qint64 userId, ChangeCallback done);
    void cancel(qint64 orderId, qint64 userId, ChangeCallback done);
    void sweep(SweepCallback done);

private:
    struct Job
    {
        enum class Kind { Pay, Cancel, Sweep };
        Kind kind = Kind::Pay;
        qint64 orderId = 0;
        qint64 userId = 0;
        ChangeCallback changed;
        SweepCallback swept;
    };

    void submit(Job job);
    void runNext();
    void finished();
    bool ensureDatabase();
    void dropDatabaseIfBroken();
    void runPay(const Job &job);
    void runCancel(const Job &job);
    void runSweep(const Job &job);
    /// Gives the units of \a orders back in Redis, then commits (all answered) or rolls the
    /// transaction back (any failure); \a done gets the outcome.
    void returnUnitsAndCommit(const QList<OrderRecord> &orders, redis::RollbackReason reason,
                              std::function<void(const Status &)> done);

    OrderPaymentsOptions m_options;
    OrderPaymentsStats &m_stats;
    QString m_connectionName;
    std::unique_ptr<OrderRepository> m_repository;
    std::unique_ptr<redis::Redis> m_redis;
    std::unique_ptr<redis::SaleScripts> m_scripts;
    QTimer *m_sweepTimer = nullptr;
    std::deque<Job> m_jobs;
    bool m_busy = false;
    bool m_sweepQueued = false;
    bool m_stopped = false;
};

} // namespace flashsale::orders
