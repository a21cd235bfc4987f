#include "workersettings.h"

#include <type_traits>

namespace flashsale::orders {

QList<ConfigOption> WorkerSettings::options()
{
    const WorkerSettings d; // the defaults, written once: in the member initialisers
    return {
        {QStringLiteral("workers"), QString::number(d.workers),
         QStringLiteral("Order workers in this process (0-64; worker role)."), QStringLiteral("n")},
        {QStringLiteral("worker-prefetch"), QString::number(d.prefetch),
         QStringLiteral("Order messages a worker holds unacknowledged (1-65535)."),
         QStringLiteral("n")},
        {QStringLiteral("worker-batch"), QString::number(d.batch),
         QStringLiteral("Reservations per order transaction at most (1-100000)."),
         QStringLiteral("n")},
        {QStringLiteral("max-attempts"), QString::number(d.maxAttempts),
         QStringLiteral("Tries of an order message before the dead-letter queue (1-1000)."),
         QStringLiteral("n")},
        {QStringLiteral("reconcile-after-ms"), QString::number(d.reconcileAfterMs),
         QStringLiteral("Reservations pending longer than this are published again."),
         QStringLiteral("ms")},
        {QStringLiteral("reconcile-interval-ms"), QString::number(d.reconcileIntervalMs),
         QStringLiteral("Time between reconciler rounds."), QStringLiteral("ms")},
        {QStringLiteral("payment-timeout-s"), QString::number(d.paymentTimeoutSeconds),
         QStringLiteral("Unpaid orders older than this are cancelled (0: never)."),
         QStringLiteral("s")},
        {QStringLiteral("quorum-queues"),
         d.quorumQueues ? QStringLiteral("true") : QStringLiteral("false"),
         QStringLiteral("Declare RabbitMQ quorum queues (for a cluster; every instance alike)."),
         QStringLiteral("bool")},
        {QStringLiteral("amqp-prefix"), d.amqpPrefix,
         QStringLiteral("Prefix of the RabbitMQ exchange and queue names, for sites (or test "
                        "runs) sharing a broker; every instance alike."),
         QStringLiteral("prefix")},
    };
}

Result<WorkerSettings> WorkerSettings::fromLayers(const LayeredConfig &layers)
{
    using R = Result<WorkerSettings>;
    QString error;
    // The first fault is reported; the rest are read all the same (and not used).
    const auto integer = [&](auto &target, const char *name, qint64 min, qint64 max) {
        const Result<qint64> value = layers.integer(QString::fromLatin1(name), min, max);
        if (value)
            target = std::remove_reference_t<decltype(target)>(value.value());
        else if (error.isEmpty())
            error = value.error();
    };
    WorkerSettings s;
    integer(s.workers, "workers", 0, 64);
    integer(s.prefetch, "worker-prefetch", 1, 65535);
    integer(s.batch, "worker-batch", 1, 100'000);
    integer(s.maxAttempts, "max-attempts", 1, 1000);
    integer(s.reconcileAfterMs, "reconcile-after-ms", 1, 7LL * 24 * 3600 * 1000);
    integer(s.reconcileIntervalMs, "reconcile-interval-ms", 10, 24LL * 3600 * 1000);
    integer(s.paymentTimeoutSeconds, "payment-timeout-s", 0, 365LL * 24 * 3600);
    const QString quorum = layers.value(QStringLiteral("quorum-queues")).toLower();
    if (quorum == u"true" || quorum == u"1" || quorum == u"yes")
        s.quorumQueues = true;
    else if (quorum == u"false" || quorum == u"0" || quorum == u"no" || quorum.isEmpty())
        s.quorumQueues = false;
    else if (error.isEmpty())
        error = QStringLiteral("quorum-queues: '%1' is not true or false").arg(quorum);
    s.amqpPrefix = layers.value(QStringLiteral("amqp-prefix"));
    if (!error.isEmpty())
        return R::failure(error);
    return s;
}

} // namespace flashsale::orders
