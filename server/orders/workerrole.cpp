#include "workerrole.h"

#include "deadlettercompensator.h"
#include "figurespublisher.h"
#include "healthregistry.h"
#include "orderpayments.h"
#include "orderworker.h"
#include "reconciler.h"
#include "redis.h"
#include "salemetrics.h"
#include "threadhandoff.h"

namespace flashsale::orders {

using namespace std::chrono;

WorkerRole::WorkerRole(db::DatabaseUrl database, redis::RedisUrl redis, amqp::AmqpUrl amqp,
                       WorkerSettings settings, HealthRegistry &health, QObject *parent)
    : QObject(parent)
    , m_database(std::move(database))
    , m_redis(std::move(redis))
    , m_amqp(std::move(amqp))
    , m_settings(settings)
    , m_health(health)
    , m_orderMetrics(std::make_unique<metrics::OrderMetrics>())
{
    m_upkeepThread.setObjectName(QStringLiteral("orders-upkeep"));
}

WorkerRole::~WorkerRole()
{
    m_healthTimer.stop();
    if (m_upkeepThread.isRunning()) {
        // Stopped on their own thread (their connections and timers live there).
        runOnThreadAndWait(m_compensator, [this] {
            m_compensator->stop();
            m_reconciler->stop();
        });
        m_upkeepThread.quit();
        m_upkeepThread.wait();
    }
    delete m_compensator;
    delete m_reconciler;
    delete m_figures;
    m_workers.clear(); // each stops: what is not acked goes back to the queue
    m_payments.reset();
}

bool WorkerRole::isConsuming() const
{
    if (m_workers.empty() || !m_compensator || !m_compensator->isConsuming())
        return false;
    for (const auto &worker : m_workers)
        if (!worker->consumerStats().connected)
            return false;
    return true;
}

Status WorkerRole::start()
{
    const QString redisUrl = m_redis.toString(); // what the parts' options take
    const amqp::AmqpTopology topology = m_settings.topology();
    amqp::ConsumerOptions consumer;
    consumer.url = m_amqp;
    consumer.topology = topology;
    consumer.prefetch = m_settings.prefetch;
    consumer.maxAttempts = m_settings.maxAttempts;

    OrderWorkerOptions workerOptions;
    workerOptions.consumer = consumer;
    workerOptions.database = m_database;
    workerOptions.redisUrl = redisUrl;
    workerOptions.maxReservationsPerTransaction = m_settings.batch;
    workerOptions.metrics = m_orderMetrics.get();
    for (int i = 0; i < m_settings.workers; ++i) {
        m_workers.push_back(std::make_unique<OrderWorker>(workerOptions));
        m_workers.back()->start();
    }

    OrderPaymentsOptions paymentOptions;
    paymentOptions.database = m_database;
    paymentOptions.redisUrl = redisUrl;
    paymentOptions.paymentTimeout = seconds(m_settings.paymentTimeoutSeconds);
    m_payments = std::make_unique<OrderPayments>(paymentOptions);
    m_payments->start();

    DeadLetterOptions deadOptions;
    deadOptions.consumer = consumer;
    deadOptions.consumer.prefetch = 100;
    deadOptions.database = m_database;
    deadOptions.redisUrl = redisUrl;
    m_compensator = new DeadLetterCompensator(deadOptions);

    ReconcilerOptions reconcilerOptions;
    reconcilerOptions.database = m_database;
    reconcilerOptions.redisUrl = redisUrl;
    reconcilerOptions.publisher.url = m_amqp;
    reconcilerOptions.publisher.topology = topology;
    reconcilerOptions.republishAfter = milliseconds(m_settings.reconcileAfterMs);
    reconcilerOptions.interval = milliseconds(m_settings.reconcileIntervalMs);
    m_reconciler = new Reconciler(reconcilerOptions);

    m_compensator->moveToThread(&m_upkeepThread);
    m_reconciler->moveToThread(&m_upkeepThread);
    // The first calls on the thread, before its event loop runs.
    connect(&m_upkeepThread, &QThread::started, m_compensator, &DeadLetterCompensator::start);
    connect(&m_upkeepThread, &QThread::started, m_reconciler, &Reconciler::start);
    m_upkeepThread.start();

    qCInfo(lcOrders).noquote()
        << QStringLiteral("worker role: %1 order workers on %2 (prefetch %3, %4 per transaction), "
                          "dead-letter compensator, reconciler (after %5 ms, every %6 ms), "
                          "payment timeout %7 s")
               .arg(m_settings.workers)
               .arg(m_amqp.displayName())
               .arg(m_settings.prefetch)
               .arg(m_settings.batch)
               .arg(m_settings.reconcileAfterMs)
               .arg(m_settings.reconcileIntervalMs)
               .arg(m_settings.paymentTimeoutSeconds);

    // The workers' live figures, for the site's /admin/stats (on this thread's own client).
    m_figuresRedis = redis::Redis::open(m_redis);
    const metrics::OrderMetrics *counted = m_orderMetrics.get();
    m_figures = new metrics::FiguresPublisher(
        *m_figuresRedis, m_database.name, metrics::InstanceFigures::Role::Worker,
        [counted](qint64 second) { return counted->figuresIn(second); });
    m_figures->start();

    connect(&m_healthTimer, &QTimer::timeout, this, &WorkerRole::reportHealth);
    m_healthTimer.start(1000);
    return Status::success();
}

// Names of their own: the API role reports its publisher and its Redis clients as
// "rabbitmq" and "redis", and in role "all" neither may overwrite the other's state.
const QString WorkerRole::rabbitmqHealthName = QStringLiteral("rabbitmq-consumers");
const QString WorkerRole::redisHealthName = QStringLiteral("redis-workers");

void WorkerRole::reportHealth()
{
    // Read from counters the parts keep (atomics): no call into their threads.
    int consuming = 0, redisUp = 0, redisClients = 0;
    for (const auto &worker : m_workers) {
        consuming += worker->consumerStats().connected ? 1 : 0;
        redisUp += worker->stats().redisConnected ? 1 : 0;
        ++redisClients;
    }
    const bool deadConsuming = m_compensator->isConsuming();
    redisUp += m_payments->stats().redisConnected ? 1 : 0;
    ++redisClients;

    const bool rabbitUp = consuming == int(m_workers.size()) && deadConsuming;
    const QString rabbitDetail = m_amqp.displayName()
        + (rabbitUp
               ? QString()
               : QStringLiteral(": %1 of %2 order consumers connected, dead-letter consumer %3")
                     .arg(consuming)
                     .arg(m_workers.size())
                     .arg(deadConsuming ? QStringLiteral("up") : QStringLiteral("down")));
    if (rabbitUp != m_health.entry(rabbitmqHealthName).up)
        qCWarning(lcOrders).noquote()
            << "RabbitMQ is" << (rabbitUp ? "up:" : "down:") << rabbitDetail;
    m_health.report(rabbitmqHealthName, rabbitUp, rabbitDetail);

    const bool up = redisUp == redisClients;
    const QString redisDetail = m_redis.displayName()
        + (up ? QString()
              : QStringLiteral(": %1 of %2 clients connected").arg(redisUp).arg(redisClients));
    if (up != m_health.entry(redisHealthName).up)
        qCWarning(lcOrders).noquote() << "Redis is" << (up ? "up:" : "down:") << redisDetail;
    m_health.report(redisHealthName, up, redisDetail);
}

} // namespace flashsale::orders
