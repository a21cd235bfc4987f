#pragma once

#include "databaseurl.h"
#include "redisoptions.h"

#include <QString>

#include <chrono>

namespace flashsale::orders {

/// Where OrderPayments works, and its payment timeout.
struct OrderPaymentsOptions
{
    db::DatabaseUrl database; ///< PostgreSQL; OrderPayments opens its own connection
    QString redisUrl; ///< Redis, where cancelled orders' units go back
    redis::RedisOptions redis; ///< the Redis client's timeouts
    /// Unpaid orders older than this are cancelled (their units returned); 0: never (an
    /// API instance that only serves pay and cancel; the worker role sweeps).
    std::chrono::seconds paymentTimeout {0};
    std::chrono::milliseconds sweepInterval {5000}; ///< how often to look for expired orders
    int sweepBatch = 500; ///< orders cancelled per transaction at most
};

} // namespace flashsale::orders
