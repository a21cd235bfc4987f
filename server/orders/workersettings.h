#pragma once

#include "amqptopology.h"
#include "layeredconfig.h"
#include "result.h"

namespace flashsale::orders {

/// The worker role's settings (flashsale-server --role worker|all), typed and validated.
struct WorkerSettings
{
    int workers = 2; ///< order workers (each a consumer, a thread, a database connection)
    int prefetch = 100; ///< messages a worker may hold unacknowledged
    int batch = 2000; ///< reservations per transaction at most
    int maxAttempts = 5; ///< tries of a message before the dead-letter queue
    qint64 reconcileAfterMs = 60'000; ///< pending reservations older than this are published again
    qint64 reconcileIntervalMs = 10'000; ///< time between reconciler rounds
    qint64 paymentTimeoutSeconds = 1800; ///< unpaid orders older than this are cancelled; 0: never
    bool quorumQueues = false; ///< RabbitMQ quorum queues (a cluster) instead of classic ones
    QString amqpPrefix; ///< put before every exchange and queue name (sites sharing a broker)

    /// The exchanges and queues that publishers and workers of this site use.
    amqp::AmqpTopology topology() const
    {
        amqp::AmqpTopology t = amqp::AmqpTopology::withPrefix(amqpPrefix);
        t.quorum = quorumQueues;
        return t;
    }

    /// The settings, with their defaults (ServerConfig::options() includes them).
    static QList<ConfigOption> options();
    /// Reads and checks them; the error names the setting at fault.
    static Result<WorkerSettings> fromLayers(const LayeredConfig &layers);
};

} // namespace flashsale::orders
