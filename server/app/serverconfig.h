#pragma once

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
    ListenAddress listen; ///< the shoppers' HTTP API
    QString databaseUrl; ///< postgres://user:password@host:port/name
    QString redisUrl; ///< redis://host:port or redis-cluster://host:port,host:port
    QString amqpUrl; ///< amqp://user:password@host:port/vhost
    QString logRules; ///< QLoggingCategory filter rules, e.g. "flashsale.*.debug=true"

    /// The settings flashsale-server understands, with their defaults.
    static QList<ConfigOption> options();

    /// Types and validates loaded settings; the error names the setting at fault.
    static Result<ServerConfig> fromLayers(const LayeredConfig &layers);

    static QString roleName(Role role);
};

} // namespace flashsale
