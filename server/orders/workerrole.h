#pragma once

#include "amqpurl.h"
#include "databaseurl.h"
#include "redisurl.h"
#include "result.h"
#include "workersettings.h"

#include <QObject>
#include <QThread>
#include <QTimer>

#include <memory>
#include <vector>

namespace flashsale {
class HealthRegistry;
}
namespace flashsale::metrics {
class FiguresPublisher;
class OrderMetrics;
} // namespace flashsale::metrics
namespace flashsale::redis {
class Redis;
}

namespace flashsale::orders {

class DeadLetterCompensator;
class OrderPayments;
class OrderWorker;
class Reconciler;

/// The worker role of flashsale-server assembled: the order workers, the dead-letter
/// compensator, the reconciler and the payment timeout, with RabbitMQ's and Redis's state
/// reported to the health registry (`rabbitmq-consumers`, `redis-workers`) every second and
/// the workers' live figures (orders, order lag) published into Redis every second.
class WorkerRole : public QObject
{
    Q_OBJECT
public:
    /// The role for these services and \a settings; reports into \a health (must outlive it).
    WorkerRole(db::DatabaseUrl database, redis::RedisUrl redis, amqp::AmqpUrl amqp,
               WorkerSettings settings, HealthRegistry &health, QObject *parent = nullptr);
    /// Stops everything (unacknowledged messages go back to the queue).
    ~WorkerRole() override;

    /// Starts every part; connections are made, and remade, in the background.
    Status start();

    /// Pay and cancel, for an HTTP API in the same process (null before start()).
    OrderPayments *payments() const { return m_payments.get(); }
    /// The reconciler's figures (null before start()); lives on the upkeep thread.
    const Reconciler *reconciler() const { return m_reconciler; }
    const std::vector<std::unique_ptr<OrderWorker>> &workers() const { return m_workers; }
    /// New orders and their lag, counted by every order worker of this role.
    const metrics::OrderMetrics &orderMetrics() const { return *m_orderMetrics; }
    /// True while every order consumer and the dead-letter consumer is connected (the role
    /// is taking work: its /readyz).
    bool isConsuming() const;

    /// The health registry names this role reports under.
    static const QString rabbitmqHealthName;
    static const QString redisHealthName;

private:
    void reportHealth();

    db::DatabaseUrl m_database;
    redis::RedisUrl m_redis;
    amqp::AmqpUrl m_amqp;
    WorkerSettings m_settings;
    HealthRegistry &m_health;
    std::unique_ptr<metrics::OrderMetrics> m_orderMetrics; ///< shared by the order workers
    std::unique_ptr<redis::Redis> m_figuresRedis; ///< this thread's client: live figures
    metrics::FiguresPublisher *m_figures = nullptr; ///< child
    std::vector<std::unique_ptr<OrderWorker>> m_workers;
    std::unique_ptr<OrderPayments> m_payments;
    QThread m_upkeepThread; ///< the compensator and the reconciler (blocking database calls)
    DeadLetterCompensator *m_compensator = nullptr; ///< on m_upkeepThread
    Reconciler *m_reconciler = nullptr; ///< on m_upkeepThread
    QTimer m_healthTimer;
};

} // namespace flashsale::orders
