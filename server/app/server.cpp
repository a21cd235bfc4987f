#include "server.h"

#include "salechallenge.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>

#include "accountdesk.h"
#include "adminapi.h"
#include "admissiongate.h"
#include "amqpurl.h"
#include "catalogrefresher.h"
#include "circuitbreaker.h"
#include "connectionguard.h"
#include "database.h"
#include "databaseprobe.h"
#include "figurespublisher.h"
#include "instanceheartbeat.h"
#include "killswitch.h"
#include "listenerpool.h"
#include "migrator.h"
#include "orderpayments.h"
#include "passwordhasher.h"
#include "pathsigner.h"
#include "productbuckets.h"
#include "queuedepthprobe.h"
#include "redis.h"
#include "requestdecoding.h"
#include "reservationpublisher.h"
#include "salecatalog.h"
#include "saleevents.h"
#include "salemetrics.h"
#include "sessiontokens.h"
#include "shopperfront.h"
#include "shopperorderdesk.h"
#include "sqlexecutor.h"
#include "storefrontpublisher.h"
#include "workerapi.h"
#include "workerrole.h"

#include <QHttpServer>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcServer, "flashsale.server")

namespace flashsale {

namespace {
const QString postgresName = QStringLiteral("postgres");
const QString redisName = QStringLiteral("redis");
const QString rabbitmqName = QStringLiteral("rabbitmq");
const QString startupConnection = QStringLiteral("startup");
} // namespace

Server::Server(ServerConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    m_probeThread.setObjectName(QStringLiteral("health-probes"));
    m_hashing.setObjectName(QStringLiteral("password-hashing"));
    m_hashing.setMaxThreadCount(m_config.hashThreads > 0 ? m_config.hashThreads
                                                         : QThread::idealThreadCount());
}

Server::~Server()
{
    // Each part stops before what it uses, and on its own thread (every component's stop()
    // does its thread's part there), so that nothing is left for the process exit.
    // 1. The listeners: no request reaches a service from now on. A buy whose reservation
    //    Redis made but whose answer had not come back yet has no 202; it stays in the
    //    pending set, and the reconciler publishes it.
    m_shopperFront.reset(); // drains: requests in flight are answered first
    m_hashing.waitForDone(); // a sign-up's hash goes on to the SQL pool, stopped below
    m_adminListeners.reset();
    m_workerListeners.reset();
    m_queueDepth.reset();
    // 2. This thread's Redis users, then its client.
    delete m_figures;
    m_figures = nullptr;
    delete m_heartbeat;
    m_heartbeat = nullptr;
    delete m_pages; // reads the catalog and the switches, members that go first
    m_pages = nullptr;
    delete m_events;
    m_events = nullptr;
    m_eventsRedis.reset();
    // 3. Every reservation answered 202 was handed to the publisher: it publishes what it
    //    holds and waits for the broker's confirms; what is not confirmed stays pending in
    //    Redis for the reconciler (of this or any instance).
    if (m_publisher)
        m_publisher->stop();
    m_payments.reset();
    // 4. The SQL pool finishes what it runs (Qt 6.4 asserts when a QFuture continuation's
    //    context, the refresher here, is gone before the future finishes) and closes each
    //    thread's connection on that thread; then the refresher goes.
    if (m_sql)
        m_sql->stop();
    delete m_refresher;
    m_refresher = nullptr;
    // 5. The worker role: consumers first (what is not acked goes back to the queue).
    m_workerRole.reset();
    m_probeThread.quit();
    m_probeThread.wait();
}

Status Server::start()
{
    if (Status s = startDatabase(); !s)
        return s;

    // The worker role first: in role "all" the shoppers' pay and cancel use its payments.
    if (m_config.role != ServerConfig::Role::Api) {
        m_workerRole = std::make_unique<orders::WorkerRole>(
            m_config.database, m_config.redis, m_config.amqp, m_config.worker, m_health);
        if (Status s = m_workerRole->start(); !s)
            return s;
    }
    if (m_config.role != ServerConfig::Role::Worker) {
        if (Status s = startHttp(); !s)
            return s;
    } else if (Status s = startWorkerHttp(); !s) {
        return s;
    }
    qCInfo(lcServer).noquote() << "started, role" << ServerConfig::roleName(m_config.role);
    return Status::success();
}

Status Server::startDatabase()
{
    const db::DatabaseUrl &url = m_config.database;
    {
        const Result<QSqlDatabase> opened = db::openDatabase(url, startupConnection);
        if (!opened)
            return Status::failure(opened.error());
        db::Migrator migrator(opened.value());
        const Result<int> applied = migrator.migrate();
        if (!applied)
            return Status::failure(
                QStringLiteral("PostgreSQL at %1: %2").arg(url.displayName(), applied.error()));
        qCInfo(lcServer).noquote() << "PostgreSQL at" << url.displayName() << "schema up to date,"
                                   << applied.value() << "migrations applied";
    }
    db::closeDatabase(startupConnection);
    m_health.report(postgresName, true, url.displayName());

    m_databaseProbe = new db::DatabaseProbe(url);
    m_databaseProbe->moveToThread(&m_probeThread);
    connect(&m_probeThread, &QThread::finished, m_databaseProbe, &QObject::deleteLater);
    connect(m_databaseProbe, &db::DatabaseProbe::checked, this,
            [this](bool up, const QString &detail) {
                if (up != m_health.entry(postgresName).up)
                    qCWarning(lcServer).noquote()
                        << "PostgreSQL is" << (up ? "up:" : "down:") << detail;
                m_health.report(postgresName, up, detail);
            });
    // The first call on the thread, before its event loop runs.
    connect(&m_probeThread, &QThread::started, m_databaseProbe, &db::DatabaseProbe::start);
    m_probeThread.start();
    return Status::success();
}

Status Server::startHttp()
{
    const db::DatabaseUrl &url = m_config.database;
    const QString redisUrl = m_config.redis.toString(); // what the parts' options take
    m_sql = std::make_unique<db::SqlExecutor>(url, m_config.sqlThreads);
    m_catalog = std::make_unique<catalog::SaleCatalog>();
    m_killSwitch = std::make_unique<sale::KillSwitch>();
    m_buckets = std::make_unique<sale::ProductBuckets>();
    m_admission = std::make_unique<sale::AdmissionGate>(m_config.maxInFlight);
    m_redisBreaker = std::make_unique<sale::CircuitBreaker>(QStringLiteral("redis"));
    m_rabbitBreaker = std::make_unique<sale::CircuitBreaker>(QStringLiteral("rabbitmq"));
    m_postgresBreaker = std::make_unique<sale::CircuitBreaker>(QStringLiteral("postgres"));
    m_passwords = std::make_unique<users::PasswordHasher>(m_config.passwordIterations);
    QByteArray secret = m_config.sessionSecret.toUtf8();
    if (secret.isEmpty()) {
        qCWarning(lcServer) << "no session-secret: session tokens are valid on this process only";
        secret = sale::PathSigner::generateSecret();
    }
    m_sessions = std::make_unique<users::SessionTokens>(secret, m_config.sessionLifetimeSeconds);
    // Its own key, derived from the shared secret: every instance checks every challenge,
    // and a session token can never pass for a challenge or the other way round.
    m_challenges = std::make_unique<sale::ChallengeSigner>(QMessageAuthenticationCode::hash(
        "flashsale challenge v1", secret, QCryptographicHash::Sha256));
    m_metrics = std::make_unique<metrics::SaleMetrics>();
    if (m_config.adminToken.isEmpty())
        qCWarning(lcServer) << "no admin-token: the admin API refuses every call";

    // Order messages: one publisher (own thread and connection) for every HTTP thread.
    amqp::PublisherOptions publisherOptions;
    publisherOptions.url = m_config.amqp;
    publisherOptions.topology = m_config.worker.topology(); // the workers' exchange and queues
    m_publisher = std::make_unique<amqp::ReservationPublisher>(publisherOptions);
    // In /healthz from its first state on (nothing is reported while the first connection
    // is still being made, so a starting instance is not "degraded" for it).
    const QString amqpName = m_config.amqp.displayName();
    connect(m_publisher.get(), &amqp::ReservationPublisher::connected, this,
            [this, amqpName] { m_health.report(rabbitmqName, true, amqpName); });
    connect(m_publisher.get(), &amqp::ReservationPublisher::disconnected, this,
            [this, amqpName](const QString &reason) {
                qCWarning(lcServer).noquote() << "RabbitMQ publisher:" << reason;
                m_health.report(rabbitmqName, false, amqpName + QStringLiteral(": ") + reason);
            });
    m_publisher->start();

    // Shoppers' pay and cancel: the worker role's in role "all", else one of this role's own
    // (own thread, database connection and Redis client).
    orders::OrderPayments *payments = m_workerRole ? m_workerRole->payments() : nullptr;
    if (!payments) {
        orders::OrderPaymentsOptions paymentOptions;
        paymentOptions.database = url;
        paymentOptions.redisUrl = redisUrl;
        m_payments = std::make_unique<orders::OrderPayments>(paymentOptions);
        m_payments->start();
        payments = m_payments.get();
    }

    m_refresher = new catalog::CatalogRefresher(*m_sql, *m_catalog, *m_killSwitch, *m_buckets,
                                                m_config.configRefreshMs, this);
    connect(m_refresher, &catalog::CatalogRefresher::refreshed, this, [this](bool ok) {
        if (ok)
            m_catalog->markLoaded();
    });
    {
        // Admin changes made on any instance, and sold-out marks, arrive here at once.
        m_eventsRedis = redis::Redis::open(m_config.redis);
        // This client's state stands for Redis in /healthz (the HTTP threads' clients reach
        // the same servers; the buy path sees them through the Redis breaker).
        redis::Redis *client = m_eventsRedis.get();
        connect(client, &redis::Redis::connected, this, [this, client] {
            if (!m_health.entry(redisName).up)
                qCInfo(lcServer).noquote() << "Redis is up:" << client->displayName();
            m_health.report(redisName, true, client->displayName());
        });
        connect(client, &redis::Redis::disconnected, this, [this, client](const QString &reason) {
            qCWarning(lcServer).noquote() << "Redis is down:" << reason;
            m_health.report(redisName, false,
                            client->displayName() + QStringLiteral(": ") + reason);
        });
        m_events = new catalog::SaleEvents(*m_eventsRedis, *m_catalog, *m_refresher, m_refresher);
        m_events->start();
        m_heartbeat = new InstanceHeartbeat(*m_eventsRedis, *m_buckets, url.name, 1000, this);
        m_heartbeat->start();
        const metrics::SaleMetrics *counted = m_metrics.get();
        m_figures = new metrics::FiguresPublisher(
            *m_eventsRedis, url.name, metrics::InstanceFigures::Role::Api,
            [counted](qint64 second) { return counted->figuresIn(second); });
        m_figures->start();
    }
    // RabbitMQ's own count of the orders queue, for the admin API's stats.
    m_queueDepth =
        std::make_unique<amqp::QueueDepthProbe>(m_config.amqp, publisherOptions.topology);
    m_queueDepth->start();
    if (Status s = startPages(); !s)
        return s;
    m_refresher->start();

    http::ApiContext context;
    context.health = &m_health;
    context.sql = m_sql.get();
    context.catalog = m_catalog.get();
    context.refresher = m_refresher;
    context.killSwitch = m_killSwitch.get();
    context.buckets = m_buckets.get();
    context.admission = m_admission.get();
    context.redisBreaker = m_redisBreaker.get();
    context.rabbitBreaker = m_rabbitBreaker.get();
    context.postgresBreaker = m_postgresBreaker.get();
    context.passwords = m_passwords.get();
    context.sessions = m_sessions.get();
    context.metrics = m_metrics.get();
    context.adminToken = m_config.adminToken.toUtf8();
    context.buyWaitMs = m_config.buyWaitMs;
    context.redisUrl = redisUrl;
    context.publisher = m_publisher.get();
    context.maxPublishBacklog = m_config.publishBacklog;
    context.payments = payments;
    context.queueDepth = m_queueDepth.get();
    context.site = url.name;
    context.workerRole = m_workerRole.get();
    context.challenges = m_challenges.get();
    context.trustedProxies = m_config.trustedProxies;
    context.brake.failuresPerUsername.threshold = m_config.signInMaxFailures;
    context.brake.failuresPerAddress.threshold = m_config.signInAddressMaxFailures;
    context.brake.signUpsPerAddress.threshold = m_config.signUpsPerAddress;
    catalog::SaleCatalog *sales = m_catalog.get();
    context.ready = [sales] {
        return sales->isLoaded();
    };

    // The shoppers' API on the front: epoll loops with llhttp, the services behind them.
    front::ShopperServices services;
    services.context = context;
    services.accounts = std::make_shared<users::AccountDesk>(m_sql.get(), &m_hashing,
                                                             m_passwords.get(), m_sessions.get());
    catalog::CatalogRefresher *refresher = m_refresher;
    services.orders =
        std::make_shared<orders::ShopperOrderDesk>(m_sql.get(), payments, [refresher] {
            // The database's stock changed: this instance's catalog reloads now (the others
            // hear `restocked` from the rollback script).
            QMetaObject::invokeMethod(refresher, &catalog::CatalogRefresher::refresh,
                                      Qt::QueuedConnection);
        });
    m_shopperFront = std::make_unique<front::ShopperFront>(std::move(services));
    const Result<quint16> port =
        m_shopperFront->start(m_config.listen.address, m_config.listen.port, m_config.httpThreads);
    if (!port)
        return Status::failure(QStringLiteral("listen: ") + port.error());
    m_httpPort = port.value();

    // A request's worth of bytes (body limit plus generous headers) without an answer.
    constexpr qint64 maxUnanswered = http::maxBodyBytes + 64 * 1024;
    const http::AdminApi admin(context);
    m_adminListeners = std::make_unique<http::ListenerPool>(QStringLiteral("admin"));
    const Result<quint16> adminPort = m_adminListeners->start(
        m_config.adminListen.address, m_config.adminListen.port, 1,
        [admin](QHttpServer &server) { admin.install(server); }, maxUnanswered);
    if (!adminPort)
        return Status::failure(QStringLiteral("admin-listen: ") + adminPort.error());
    m_adminPort = adminPort.value();

    qCInfo(lcServer).noquote() << QStringLiteral("admin API on http://%1:%2")
                                      .arg(m_config.adminListen.address.toString())
                                      .arg(m_adminPort);
    qCInfo(lcServer).noquote() << QStringLiteral("shopper API on http://%1:%2 (%3 threads)")
                                      .arg(m_config.listen.address.toString())
                                      .arg(m_httpPort)
                                      .arg(m_shopperFront->threadCount());
    return Status::success();
}

Status Server::startWorkerHttp()
{
    const http::WorkerApi api(m_health, *m_workerRole);
    m_workerListeners = std::make_unique<http::ListenerPool>(QStringLiteral("worker"));
    const Result<quint16> port = m_workerListeners->start(
        m_config.listen.address, m_config.listen.port, 1,
        [api](QHttpServer &server) { api.install(server); }, 64 * 1024);
    if (!port)
        return Status::failure(QStringLiteral("listen: ") + port.error());
    m_workerPort = port.value();
    qCInfo(lcServer).noquote() << QStringLiteral("worker health and metrics on http://%1:%2")
                                      .arg(m_config.listen.address.toString())
                                      .arg(m_workerPort);
    return Status::success();
}

Status Server::startPages()
{
    if (m_config.pagesDir.isEmpty())
        return Status::success();
    // The API role renders: it holds the catalog, which every admin change on any instance
    // reloads at once (SaleEvents), so the pages cost no extra database reads and follow
    // within milliseconds. Every instance with a pages folder renders the same bytes;
    // PageWriter's atomic renames keep concurrent writers apart.
    const pages::PageWriter writer(m_config.pagesDir);
    if (Status s = writer.prepare(); !s)
        return Status::failure(QStringLiteral("pages-dir: ") + s.error());
    Result<pages::PageRenderer> renderer = pages::PageRenderer::load();
    if (!renderer)
        return Status::failure(renderer.error());
    m_pages = new pages::StorefrontPublisher(std::move(renderer.value()), writer, *m_catalog,
                                             *m_killSwitch, this);
    connect(m_refresher, &catalog::CatalogRefresher::refreshed, m_pages, [this](bool ok) {
        if (ok)
            m_pages->catalogLoaded();
    });
    if (m_events)
        connect(m_events, &catalog::SaleEvents::applied, m_pages,
                &pages::StorefrontPublisher::changed);
    qCInfo(lcServer).noquote() << "storefront pages rendered into" << m_config.pagesDir;
    return Status::success();
}

} // namespace flashsale
