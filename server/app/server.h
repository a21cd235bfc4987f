#pragma once

#include "healthregistry.h"
#include "result.h"
#include "serverconfig.h"

#include <QObject>
#include <QThread>
#include <QThreadPool>

#include <memory>

namespace flashsale {

namespace db {
class DatabaseProbe;
class SqlExecutor;
} // namespace db
namespace http {
class ListenerPool;
}
namespace front {
class ShopperFront;
}
namespace amqp {
class QueueDepthProbe;
class ReservationPublisher;
} // namespace amqp
namespace catalog {
class SaleCatalog;
class CatalogRefresher;
class SaleEvents;
} // namespace catalog
namespace redis {
class Redis;
}
namespace sale {
class AdmissionGate;
class ChallengeSigner;
class CircuitBreaker;
class KillSwitch;
class ProductBuckets;
} // namespace sale
namespace users {
class PasswordHasher;
class SessionTokens;
} // namespace users
namespace metrics {
class FiguresPublisher;
class SaleMetrics;
} // namespace metrics
namespace pages {
class StorefrontPublisher;
}
namespace orders {
class OrderPayments;
class WorkerRole;
} // namespace orders

class InstanceHeartbeat;

/// flashsale-server assembled from its parts, as its role asks.
class Server : public QObject
{
    Q_OBJECT
public:
    explicit Server(ServerConfig config, QObject *parent = nullptr);
    ~Server() override;

    /// Connects to every dependency (failing with one line that names the one that is
    /// unreachable and the address tried), applies migrations, starts listening.
    Status start();

    /// The port the shoppers' API listens on, once started.
    quint16 httpPort() const { return m_httpPort; }
    /// The port the admin API listens on, once started.
    quint16 adminPort() const { return m_adminPort; }
    /// The port the worker role's health and metrics listen on (role worker), once started.
    quint16 workerPort() const { return m_workerPort; }

private:
    Status startDatabase();
    Status startHttp();
    Status startWorkerHttp();
    Status startPages();

    ServerConfig m_config;
    HealthRegistry m_health;
    QThread m_probeThread;
    QThreadPool m_hashing; ///< PBKDF2 for sign-up and sign-in, one thread per core
    db::DatabaseProbe *m_databaseProbe = nullptr;
    std::unique_ptr<db::SqlExecutor> m_sql;
    std::unique_ptr<catalog::SaleCatalog> m_catalog;
    std::unique_ptr<sale::KillSwitch> m_killSwitch;
    std::unique_ptr<sale::ProductBuckets> m_buckets;
    std::unique_ptr<sale::AdmissionGate> m_admission;
    std::unique_ptr<sale::CircuitBreaker> m_redisBreaker;
    std::unique_ptr<sale::CircuitBreaker> m_rabbitBreaker;
    std::unique_ptr<sale::CircuitBreaker> m_postgresBreaker;
    std::unique_ptr<users::PasswordHasher> m_passwords;
    std::unique_ptr<users::SessionTokens> m_sessions;
    std::unique_ptr<sale::ChallengeSigner> m_challenges; ///< proof of work before a sale's path
    std::unique_ptr<metrics::SaleMetrics> m_metrics;
    std::unique_ptr<amqp::ReservationPublisher> m_publisher;
    std::unique_ptr<orders::OrderPayments> m_payments; ///< role api: shoppers' pay and cancel
    catalog::CatalogRefresher *m_refresher = nullptr;
    std::unique_ptr<redis::Redis> m_eventsRedis; ///< this thread's client: events, health
    catalog::SaleEvents *m_events = nullptr; ///< config and sold-out events from every instance
    InstanceHeartbeat *m_heartbeat = nullptr; ///< shares the site-wide rates among instances
    metrics::FiguresPublisher *m_figures = nullptr; ///< this instance's live figures, to Redis
    std::unique_ptr<amqp::QueueDepthProbe> m_queueDepth; ///< RabbitMQ's counts, for the stats
    pages::StorefrontPublisher *m_pages = nullptr; ///< renders the storefront (with pages-dir)
    std::unique_ptr<front::ShopperFront> m_shopperFront; ///< the shoppers' API
    std::unique_ptr<http::ListenerPool> m_adminListeners;
    quint16 m_httpPort = 0;
    quint16 m_adminPort = 0;
    std::unique_ptr<http::ListenerPool> m_workerListeners; ///< role worker: health, metrics
    quint16 m_workerPort = 0;
    std::unique_ptr<orders::WorkerRole> m_workerRole; ///< role worker or all
};

} // namespace flashsale
