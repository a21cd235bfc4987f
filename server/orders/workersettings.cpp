#include "workersettings.h"

namespace flashsale::orders {

QList<ConfigOption> WorkerSettings::options()
{
    return {
        {QStringLiteral("workers"), QStringLiteral("2"),
         QStringLiteral("Order workers in this process (0-64; worker role)."), QStringLiteral("n")},
        {QStringLiteral("worker-prefetch"), QStringLiteral("100"),
         QStringLiteral("Order messages a worker holds unacknowledged (1-65535)."),
         QStringLiteral("n")},
        {QStringLiteral("worker-batch"), QStringLiteral("2000"),
         QStringLiteral("Reservations per order transaction at most (1-100000)."),
         QStringLiteral("n")},
        {QStringLiteral("max-attempts"), QStringLiteral("5"),
         QStringLiteral("Tries of an order message before the dead-letter queue (1-1000)."),
         QStringLiteral("n")},
        {QStringLiteral("reconcile-after-ms"), QStringLiteral("60000"),
         QStringLiteral("Reservations pending longer than this are published again."),
         QStringLiteral("ms")},
        {QStringLiteral("reconcile-interval-ms"), QStringLiteral("10000"),
         QStringLiteral("Time between reconciler rounds."), QStringLiteral("ms")},
        {QStringLiteral("payment-timeout-s"), QStringLiteral("1800"),
         QStringLiteral("Unpaid orders older than this are cancelled (0: never)."),
         QStringLiteral("s")},
        {QStringLiteral("quorum-queues"), QStringLiteral("false"),
         QStringLiteral("Declare RabbitMQ quorum queues (for a cluster; every instance alike)."),
         QStringLiteral("bool")},
        {QStringLiteral("amqp-prefix"), QString(),
         QStringLiteral("Prefix of the RabbitMQ exchange and queue names, for sites (or test "
                        "runs) sharing a broker; every instance alike."),
         QStringLiteral("prefix")},
    };
}

Result<WorkerSettings> WorkerSettings::fromLayers(const LayeredConfig &layers)
{
    using R = Result<WorkerSettings>;
    QString error;
    auto number = [&](const char *name, qint64 min, qint64 max) -> qint64 {
        const QString key = QString::fromLatin1(name);
        bool ok = false;
        const qint64 value = layers.value(key).trimmed().toLongLong(&ok);
        if (error.isEmpty() && (!ok || value < min || value > max))
            error = QStringLiteral("%1: '%2' is not a whole number from %3 to %4")
                        .arg(key, layers.value(key))
                        .arg(min)
                        .arg(max);
        return value;
    };
    WorkerSettings s;
    s.workers = int(number("workers", 0, 64));
    s.prefetch = int(number("worker-prefetch", 1, 65535));
    s.batch = int(number("worker-batch", 1, 100'000));
    s.maxAttempts = int(number("max-attempts", 1, 1000));
    s.reconcileAfterMs = number("reconcile-after-ms", 1, 7LL * 24 * 3600 * 1000);
    s.reconcileIntervalMs = number("reconcile-interval-ms", 10, 24LL * 3600 * 1000);
    s.paymentTimeoutSeconds = number("payment-timeout-s", 0, 365LL * 24 * 3600);
    const QString quorum = layers.value(QStringLiteral("quorum-queues")).trimmed().toLower();
    if (quorum == u"true" || quorum == u"1" || quorum == u"yes")
        s.quorumQueues = true;
    else if (quorum == u"false" || quorum == u"0" || quorum == u"no" || quorum.isEmpty())
        s.quorumQueues = false;
    else if (error.isEmpty())
        error = QStringLiteral("quorum-queues: '%1' is not true or false").arg(quorum);
    s.amqpPrefix = layers.value(QStringLiteral("amqp-prefix")).trimmed();
    if (!error.isEmpty())
        return R::failure(error);
    return s;
}

} // namespace flashsale::orders
