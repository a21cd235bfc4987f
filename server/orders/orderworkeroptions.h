#pragma once

#include "consumeroptions.h"
#include "databaseurl.h"

namespace flashsale::orders {

/// What an OrderWorker consumes and where it writes.
struct OrderWorkerOptions
{
    amqp::ConsumerOptions
        consumer; ///< the orders queue (prefetch, tries before the dead-letter queue)
    db::DatabaseUrl database; ///< PostgreSQL; the worker opens its own connection
    int maxReservationsPerTransaction =
        2000; ///< bigger batches are split into several transactions
};

} // namespace flashsale::orders
