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
    const ServerConfig d; // the defaults, written once: in the member initialisers
    return orders::WorkerSettings::options()
        + QList<ConfigOption> {
            {QStringLiteral("role"), roleName(d.role),
             QStringLiteral("What this process runs: api, worker or all."), QStringLiteral("role")},
            {QStringLiteral("listen"), d.listen.toString(),
             QStringLiteral("Address of the shoppers' HTTP API."), QStringLiteral("host:port")},
            {QStringLiteral("database-url"),
             QStringLiteral("postgres://flashsale@127.0.0.1:5432/flashsale"),
             QStringLiteral("PostgreSQL database."), QStringLiteral("url")},
            {QStringLiteral("redis-url"), QStringLiteral("redis://127.0.0.1:6379"),
             QStringLiteral("Redis server (redis://) or cluster (redis-cluster://h:p,h:p)."),
             QStringLiteral("url")},
            {QStringLiteral("amqp-url"), QStringLiteral("amqp://guest:guest@127.0.0.1:5672/"),
             QStringLiteral("RabbitMQ broker."), QStringLiteral("url")},
            {QStringLiteral("log-rules"), d.logRules,
             QStringLiteral("Logging filter rules, e.g. 'flashsale.*.debug=true'."),
             QStringLiteral("rules")},
            {QStringLiteral("admin-listen"), d.adminListen.toString(),
             QStringLiteral("Address of the admin API (keep it on loopback or a private network)."),
             QStringLiteral("host:port")},
            {QStringLiteral("admin-token"), d.adminToken,
             QStringLiteral(
                 "Bearer token of the admin API; without one every admin call is refused."),
             QStringLiteral("token")},
            {QStringLiteral("http-threads"), QString::number(d.httpThreads),
             QStringLiteral("Front threads serving the shoppers' API (1-64): each an epoll loop "
                            "on its own SO_REUSEPORT listener, paired with a thread for its "
                            "Redis work."),
             QStringLiteral("n")},
            {QStringLiteral("sql-threads"), QString::number(d.sqlThreads),
             QStringLiteral("Threads and connections for database calls (1-64)."),
             QStringLiteral("n")},
            {QStringLiteral("hash-threads"), QString::number(d.hashThreads),
             QStringLiteral("Threads hashing passwords for sign-up and sign-in (0: one per "
                            "core, up to 64)."),
             QStringLiteral("n")},
            {QStringLiteral("session-secret"), d.sessionSecret,
             QStringLiteral("Secret that signs session tokens; the same on every API instance "
                            "(default: random, valid for this process only)."),
             QStringLiteral("secret")},
            {QStringLiteral("session-lifetime"), QString::number(d.sessionLifetimeSeconds),
             QStringLiteral("Seconds a session token stays valid."), QStringLiteral("s")},
            {QStringLiteral("password-iterations"), QString::number(d.passwordIterations),
             QStringLiteral("PBKDF2 iterations for new passwords (1000-10000000)."),
             QStringLiteral("n")},
            {QStringLiteral("max-in-flight"), QString::number(d.maxInFlight),
             QStringLiteral("Buy requests in flight past which 503 is answered at once."),
             QStringLiteral("n")},
            {QStringLiteral("publish-backlog"), QString::number(d.publishBacklog),
             QStringLiteral("Reservations waiting for RabbitMQ's confirm past which buys get 503 "
                            "(bounds memory while the broker is down or slow)."),
             QStringLiteral("n")},
            {QStringLiteral("buy-wait"), QString::number(d.buyWaitMs),
             QStringLiteral(
                 "Milliseconds a buy request may wait for a token of its product's bucket."),
             QStringLiteral("ms")},
            {QStringLiteral("pages-dir"), d.pagesDir,
             QStringLiteral("Folder the storefront's static pages are rendered into (served by "
                            "nginx; roles api and all; default: none rendered)."),
             QStringLiteral("dir")},
            {QStringLiteral("trusted-proxies"), QStringLiteral("127.0.0.1,::1"),
             QStringLiteral("Proxies (addresses or subnets, comma-separated) whose last "
                            "X-Forwarded-For hop is taken as the shopper's address for the "
                            "sign-in brake; from any other peer the header is ignored."),
             QStringLiteral("list")},
            {QStringLiteral("signin-failures"), QString::number(d.signInMaxFailures),
             QStringLiteral("Wrong passwords for one username within 15 minutes before sign-ins "
                            "as it are refused (429) for a time that doubles with each further "
                            "failure (1-1000)."),
             QStringLiteral("n")},
            {QStringLiteral("signin-ip-failures"), QString::number(d.signInAddressMaxFailures),
             QStringLiteral("Wrong passwords from one client address within 15 minutes before "
                            "its sign-ins are braked the same way (1-100000)."),
             QStringLiteral("n")},
            {QStringLiteral("signups-per-ip"), QString::number(d.signUpsPerAddress),
             QStringLiteral("Accounts one client address may create an hour (0: no limit; set "
                            "it once --trusted-proxies names your proxies, or every shopper "
                            "counts as the proxy)."),
             QStringLiteral("n")},
            {QStringLiteral("config-refresh"), QString::number(d.configRefreshMs),
             QStringLiteral("Milliseconds between periodic reloads of sales and switches from the "
                            "database (changes are also announced on Redis and applied at once)."),
             QStringLiteral("ms")},
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

    const Result<db::DatabaseUrl> database =
        db::DatabaseUrl::parse(layers.value(QStringLiteral("database-url")));
    if (!database)
        return Result<ServerConfig>::failure(QStringLiteral("database-url: ") + database.error());
    config.database = database.value();
    const Result<redis::RedisUrl> redis =
        redis::RedisUrl::parse(layers.value(QStringLiteral("redis-url")));
    if (!redis)
        return Result<ServerConfig>::failure(QStringLiteral("redis-url: ") + redis.error());
    config.redis = redis.value();
    const Result<amqp::AmqpUrl> amqp =
        amqp::AmqpUrl::parse(layers.value(QStringLiteral("amqp-url")));
    if (!amqp)
        return Result<ServerConfig>::failure(QStringLiteral("amqp-url: ") + amqp.error());
    config.amqp = amqp.value();
    config.logRules = layers.value(QStringLiteral("log-rules"));

    const Result<ListenAddress> adminListen =
        ListenAddress::parse(layers.value(QStringLiteral("admin-listen")));
    if (!adminListen)
        return Result<ServerConfig>::failure(QStringLiteral("admin-listen: ")
                                             + adminListen.error());
    config.adminListen = adminListen.value();
    config.adminToken = layers.value(QStringLiteral("admin-token"));
    config.sessionSecret = layers.value(QStringLiteral("session-secret"));
    config.pagesDir = layers.value(QStringLiteral("pages-dir"));

    struct IntSetting
    {
        const char *name;
        int *target;
        int min;
        int max;
    };
    const IntSetting ints[] = {
        {"http-threads", &config.httpThreads, 1, 64},
        {"sql-threads", &config.sqlThreads, 1, 64},
        {"hash-threads", &config.hashThreads, 0, 64},
        {"session-lifetime", &config.sessionLifetimeSeconds, 60, 366 * 86400},
        {"password-iterations", &config.passwordIterations, 1000, 10'000'000},
        {"max-in-flight", &config.maxInFlight, 1, 1'000'000},
        {"publish-backlog", &config.publishBacklog, 1, 10'000'000},
        {"buy-wait", &config.buyWaitMs, 0, 1000},
        {"config-refresh", &config.configRefreshMs, 50, 60'000},
        {"signin-failures", &config.signInMaxFailures, 1, 1000},
        {"signin-ip-failures", &config.signInAddressMaxFailures, 1, 100'000},
        {"signups-per-ip", &config.signUpsPerAddress, 0, 1'000'000},
    };
    for (const IntSetting &setting : ints) {
        const Result<qint64> value =
            layers.integer(QString::fromLatin1(setting.name), setting.min, setting.max);
        if (!value)
            return Result<ServerConfig>::failure(value.error());
        *setting.target = int(value.value());
    }
    QString proxiesError;
    const std::optional<users::TrustedProxies> proxies = users::TrustedProxies::parse(
        layers.value(QStringLiteral("trusted-proxies")), &proxiesError);
    if (!proxies)
        return Result<ServerConfig>::failure(QStringLiteral("trusted-proxies: ") + proxiesError);
    config.trustedProxies = *proxies;
    return config;
}

} // namespace flashsale
