#include "serverconfig.h"

namespace flashsale {

Result<ListenAddress> ListenAddress::parse(const QString &text)
{
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon <= 0)
        return Result<ListenAddress>::failure(QStringLiteral("'%1' is not host:port").arg(text));
    QString host = text.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint port = QStringView(text).mid(colon + 1).toUInt(&ok);
    if (!ok || port > 65535)
        return Result<ListenAddress>::failure(QStringLiteral("'%1' has a bad port").arg(text));
    ListenAddress result;
    result.port = quint16(port);
    if (host == u"localhost")
        result.address = QHostAddress::LocalHost;
    else if (host == u"*")
        result.address = QHostAddress::Any;
    else if (!result.address.setAddress(host))
        return Result<ListenAddress>::failure(
            QStringLiteral("'%1' is not an IP address (or localhost or *)").arg(host));
    return result;
}

QString ListenAddress::toString() const
{
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
        ? u'[' + address.toString() + u']'
        : address.toString();
    return host + u':' + QString::number(port);
}

QList<ConfigOption> ServerConfig::options()
{
    return orders::WorkerSettings::options()
        + QList<ConfigOption> {
            {QStringLiteral("role"), QStringLiteral("all"),
             QStringLiteral("What this process runs: api, worker or all."), QStringLiteral("role")},
            {QStringLiteral("listen"), QStringLiteral("127.0.0.1:8080"),
             QStringLiteral("Address of the shoppers' HTTP API."), QStringLiteral("host:port")},
            {QStringLiteral("database-url"),
             QStringLiteral("postgres://flashsale@127.0.0.1:5432/flashsale"),
             QStringLiteral("PostgreSQL database."), QStringLiteral("url")},
            {QStringLiteral("redis-url"), QStringLiteral("redis://127.0.0.1:6379"),
             QStringLiteral("Redis server (redis://) or cluster (redis-cluster://h:p,h:p)."),
             QStringLiteral("url")},
            {QStringLiteral("amqp-url"), QStringLiteral("amqp://guest:guest@127.0.0.1:5672/"),
             QStringLiteral("RabbitMQ broker."), QStringLiteral("url")},
            {QStringLiteral("log-rules"), QString(),
             QStringLiteral("Logging filter rules, e.g. 'flashsale.*.debug=true'."),
             QStringLiteral("rules")},
        };
}

QString ServerConfig::roleName(Role role)
{
    switch (role) {
    case Role::All:
        return QStringLiteral("all");
    case Role::Api:
        return QStringLiteral("api");
    case Role::Worker:
        return QStringLiteral("worker");
    }
    return {};
}

Result<ServerConfig> ServerConfig::fromLayers(const LayeredConfig &layers)
{
    ServerConfig config;
    const QString role = layers.value(QStringLiteral("role"));
    if (role == u"all")
        config.role = Role::All;
    else if (role == u"api")
        config.role = Role::Api;
    else if (role == u"worker")
        config.role = Role::Worker;
    else
        return Result<ServerConfig>::failure(
            QStringLiteral("role: '%1' is not one of api, worker, all").arg(role));
    const Result<orders::WorkerSettings> worker = orders::WorkerSettings::fromLayers(layers);
    if (!worker)
        return Result<ServerConfig>::failure(worker.error());
    config.worker = worker.value();

    const Result<ListenAddress> listen =
        ListenAddress::parse(layers.value(QStringLiteral("listen")));
    if (!listen)
        return Result<ServerConfig>::failure(QStringLiteral("listen: ") + listen.error());
    config.listen = listen.value();

    config.databaseUrl = layers.value(QStringLiteral("database-url"));
    config.redisUrl = layers.value(QStringLiteral("redis-url"));
    config.amqpUrl = layers.value(QStringLiteral("amqp-url"));
    config.logRules = layers.value(QStringLiteral("log-rules"));
    return config;
}

} // namespace flashsale
