#pragma once

#include "amqptopology.h"
#include "amqpurl.h"

#include <chrono>

namespace flashsale::amqp {

/// How a ReservationPublisher connects, batches and retries.
struct PublisherOptions
{
    AmqpUrl url; ///< the broker
    AmqpTopology topology; ///< declared at every connect; messages go to its exchange
    std::chrono::milliseconds batchWindow {1}; ///< how long the first reservation waits for others
    int maxBatch = 200; ///< reservations per message at most
    std::chrono::milliseconds confirmTimeout {5000}; ///< no confirm by then: reconnect, republish
    std::chrono::milliseconds giveUpAfter {
        30000}; ///< not confirmed by then: the caller hears failure
    std::chrono::milliseconds connectTimeout {3000}; ///< TCP connect and each synchronous call
    std::chrono::milliseconds minBackoff {100}; ///< first reconnect delay, doubled per failure
    std::chrono::milliseconds maxBackoff {5000}; ///< longest reconnect delay
    int heartbeatSeconds = 10; ///< AMQP heartbeat; 0 turns it off
};

} // namespace flashsale::amqp
