#pragma once

#include "databaseurl.h"
#include "orderrepository.h"
#include "publisheroptions.h"
#include "redis.h"
#include "reservationpublisher.h"
#include "saledrift.h"
#include "salescripts.h"

#include <QHash>
#include <QObject>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>

class QTimer;

namespace flashsale::orders {

/// What the Reconciler watches and how often.
struct ReconcilerOptions
{
    db::DatabaseUrl database; ///< PostgreSQL: the active sales, their stock and orders
    QString redisUrl; ///< Redis: stock and pending reservations
    redis::RedisOptions redis; ///< the Redis client's timeouts
    amqp::PublisherOptions publisher; ///< where reservations are published again
    /// A reservation still pending this long after it was made is published again (its
    /// publish was lost, or its message died unseen). Longer than the queue's usual delay:
    /// a copy of a reservation still queued costs the worker a duplicate, nothing more.
    std::chrono::milliseconds republishAfter {60'000};
    std::chrono::milliseconds interval {10'000}; ///< time between rounds
    std::chrono::seconds endedFor {3600}; ///< sales ended less than this ago are still watched
    int batch = 1000; ///< pending reservations published again per sale and round at most
};

/// Counters of a Reconciler, readable from any thread.
struct ReconcilerStats
{
    std::atomic<qint64> rounds {0}; ///< rounds finished
    std::atomic<qint64> republished {0}; ///< reservations published again (confirmed by the broker)
    std::atomic<qint64> republishFailed {0}; ///< republishes the broker did not confirm
    std::atomic<qint64> failures {0}; ///< rounds that could not read the database or Redis
    std::atomic<qint64> salesWithDrift {0}; ///< sales with drift() != 0 in the last round
};

/// Makes sure no reservation is lost between Redis and the queue: every round, for each
/// active sale (miaosha_goods: started, not ended more than endedFor ago), the reservations
/// pending in Redis for longer than republishAfter are published again (the worker is
/// idempotent, so a reservation that did reach the queue only costs a duplicate), and the
/// sale's stock is compared across Redis and the database (SaleDrift, in the log and from
/// lastDrift()).
///
/// Lives on one thread (its database calls block it briefly); call start() and stop() there.
class Reconciler : public QObject
{
    Q_OBJECT
public:
    explicit Reconciler(ReconcilerOptions options, QObject *parent = nullptr);
    /// Stops (see stop()).
    ~Reconciler() override;

    /// Connects and runs a round every interval (the first one after one interval).
    Q_INVOKABLE void start();
    Q_INVOKABLE void stop();
    /// Runs a round now (unless one is running).
    Q_INVOKABLE void reconcileNow();

    /// Thread-safe: the drift of each active sale as of the last round.
    QList<SaleDrift> lastDrift() const;
    const ReconcilerStats &stats() const { return m_stats; }

Q_SIGNALS:
    /// A round finished: the drift of each active sale.
    void reconciled(const QList<flashsale::orders::SaleDrift> &drift);

private:
    bool ensureDatabase();
    void finishRound(const QList<SaleDrift> &drift);

    ReconcilerOptions m_options;
    ReconcilerStats m_stats;
    QString m_connectionName;
    std::unique_ptr<OrderRepository> m_repository;
    std::unique_ptr<redis::Redis> m_redis;
    std::unique_ptr<redis::SaleScripts> m_scripts;
    std::unique_ptr<amqp::ReservationPublisher> m_publisher;
    QTimer *m_timer = nullptr;
    QHash<QString, qint64> m_republishedAtMs; ///< reservation id -> when, not to repeat within T
    QHash<qint64, qint64> m_reportedDrift; ///< goods -> drift last logged, to log changes only
    mutable std::mutex m_driftMutex;
    QList<SaleDrift> m_lastDrift; ///< guarded by m_driftMutex
    bool m_roundRunning = false;
};

} // namespace flashsale::orders
