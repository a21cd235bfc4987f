#pragma once

#include "amqpurl.h"
#include "clientaddress.h"
#include "databaseurl.h"
#include "redisurl.h"

#include "layeredconfig.h"
#include "result.h"
#include "workersettings.h"

#include <QHostAddress>
#include <QString>

namespace flashsale {

/// A host and port to listen on, from "host:port".
struct ListenAddress
{
    QHostAddress address; ///< interface to bind
    quint16 port = 0; ///< 0 picks a free port

    static Result<ListenAddress> parse(const QString &text);
    QString toString() const;
};

/// Everything flashsale-server is told at start, typed and validated.
struct ServerConfig
{
    /// Which parts of the pipeline this process runs.
    enum class Role { All, Api, Worker };

    Role role = Role::All; ///< api: HTTP only; worker: order workers only; all: both
    orders::WorkerSettings worker; ///< the worker role's settings (workers, timeouts, queues)
    ListenAddress listen {QHostAddress(QHostAddress::LocalHost), 8080}; ///< the shoppers' HTTP API
    db::DatabaseUrl database; ///< postgres://user:password@host:port/name
    redis::RedisUrl redis; ///< redis://host:port or redis-cluster://host:port,host:port
    amqp::AmqpUrl amqp; ///< amqp://user:password@host:port/vhost
    QString logRules; ///< QLoggingCategory filter rules, e.g. "flashsale.*.debug=true"
    ListenAddress adminListen {QHostAddress(QHostAddress::LocalHost), 8081}; ///< the admin API
    QString adminToken; ///< bearer token of the admin API; empty refuses every admin call
    int httpThreads = 2; ///< event-loop threads serving the shoppers' API
    int sqlThreads = 4; ///< threads (and connections) for database calls
    int hashThreads = 0; ///< threads hashing passwords (PBKDF2); 0: one per core
    QString sessionSecret; ///< signs session tokens; every API instance needs the same
    int sessionLifetimeSeconds = 86400; ///< how long a session token stays valid
    int passwordIterations = 100'000; ///< PBKDF2 iterations for new passwords
    int maxInFlight = 1000; ///< buy requests in flight past which 503 is answered at once
    int publishBacklog = 100'000; ///< unconfirmed reservations past which buys get 503
    int buyWaitMs = 5; ///< how long a buy request may wait for a token of the bucket
    QString pagesDir; ///< where the storefront's pages are rendered; empty: not rendered here
    int configRefreshMs =
        5000; ///< periodic reload of sales and switches (changes also arrive by Redis at once)
    users::TrustedProxies trustedProxies; ///< peers whose X-Forwarded-For names the client
    int signInMaxFailures = 5; ///< wrong passwords per username in 15 minutes before the brake
    int signInAddressMaxFailures = 50; ///< wrong passwords per client address in 15 minutes
    int signUpsPerAddress = 0; ///< accounts per client address an hour (0: no limit)

    /// The settings flashsale-server understands, with their defaults (those of the members
    /// above, written once there; the URLs' and the proxies' are the options' own).
    static QList<ConfigOption> options();

    /// Types and validates loaded settings (URLs parsed here, so a bad one exits 2 like any
    /// other bad setting); the error names the setting at fault.
    static Result<ServerConfig> fromLayers(const LayeredConfig &layers);

    static QString roleName(Role role);
};

} // namespace flashsale
