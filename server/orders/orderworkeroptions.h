#pragma once

#include "consumeroptions.h"
#include "databaseurl.h"
#include "redisoptions.h"

#include <QString>

namespace flashsale::metrics {
class OrderMetrics;
}

namespace flashsale::orders {

/// What an OrderWorker consumes and where it writes.
struct OrderWorkerOptions
{
    amqp::ConsumerOptions
        consumer; ///< the orders queue (prefetch, tries before the dead-letter queue)
    db::DatabaseUrl database; ///< PostgreSQL; the worker opens its own connection
    QString redisUrl; ///< Redis (redis:// or redis-cluster://): shoppers' results, units back
    redis::RedisOptions redis; ///< timeouts and reconnects of the worker's Redis client
    int maxReservationsPerTransaction =
        2000; ///< bigger batches are split into several transactions
    int maxRedisTries =
        5; ///< Redis step failures (Redis up) before the batch is given back to the queue
    metrics::OrderMetrics *metrics = nullptr; ///< counts new orders and their lag (optional)
};

} // namespace flashsale::orders
