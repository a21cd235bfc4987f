#pragma once

#include <QByteArray>
#include <QString>

#include <functional>

namespace flashsale {
class HealthRegistry;
}
namespace flashsale::db {
class SqlExecutor;
}
namespace flashsale::catalog {
class SaleCatalog;
class CatalogRefresher;
} // namespace flashsale::catalog
namespace flashsale::sale {
class AdmissionGate;
class CircuitBreaker;
class KillSwitch;
class ProductBuckets;
} // namespace flashsale::sale
namespace flashsale::amqp {
class QueueDepthProbe;
class ReservationPublisher;
} // namespace flashsale::amqp
namespace flashsale::orders {
class OrderPayments;
class WorkerRole;
} // namespace flashsale::orders
namespace flashsale::users {
class PasswordHasher;
class SessionTokens;
} // namespace flashsale::users
namespace flashsale::metrics {
class SaleMetrics;
}

namespace flashsale::http {

/// The services the routes use, shared by every HTTP thread (each is thread-safe).
struct ApiContext
{
    const HealthRegistry *health = nullptr; ///< dependency states for /healthz
    db::SqlExecutor *sql = nullptr; ///< every database call goes through here
    catalog::SaleCatalog *catalog = nullptr; ///< the sales, read without a database call
    catalog::CatalogRefresher *refresher = nullptr; ///< reloads after an admin change
    sale::KillSwitch *killSwitch = nullptr;
    sale::ProductBuckets *buckets = nullptr;
    sale::AdmissionGate *admission = nullptr; ///< bound on buy requests in flight
    sale::CircuitBreaker *redisBreaker = nullptr;
    sale::CircuitBreaker *rabbitBreaker = nullptr;
    sale::CircuitBreaker *postgresBreaker = nullptr;
    const users::PasswordHasher *passwords = nullptr;
    const users::SessionTokens *sessions = nullptr;
    metrics::SaleMetrics *metrics = nullptr;
    /// RabbitMQ's counts of the orders and dead-letter queues (the admin API's stats)
    const amqp::QueueDepthProbe *queueDepth = nullptr;
    QString site; ///< the site whose live figures /admin/stats sums (the database's name)
    QByteArray adminToken; ///< the admin API's bearer token; empty refuses every admin call
    QString redisUrl; ///< each HTTP thread opens its own client; empty: no reservations
    int windowMs = 10'000; ///< the per-shopper request window of the reserve script
    amqp::ReservationPublisher *publisher = nullptr; ///< order messages (thread-safe)
    /// Reservations the publisher may hold unconfirmed before buys are refused (503): a
    /// broker that is down or slow must not grow this process's memory without bound.
    qint64 maxPublishBacklog = 100'000;
    orders::OrderPayments *payments = nullptr; ///< shoppers' pay and cancel (thread-safe)
    int buyWaitMs = 5; ///< how long a buy request may wait for a token
    std::function<bool()> ready; ///< true when this instance takes traffic (/readyz)
    /// In role "all": the worker half, whose families /metrics adds.
    const orders::WorkerRole *workerRole = nullptr;
};

} // namespace flashsale::http
