#pragma once

#include "amqptopology.h"
#include "amqpurl.h"

#include <QString>

#include <chrono>

namespace flashsale::amqp {

/// How an AmqpConsumer connects and when it gives up on a message.
struct ConsumerOptions
{
    AmqpUrl url; ///< the broker
    AmqpTopology topology; ///< declared at every connect
    QString queue {}; ///< what to consume; empty: topology.queue
    int prefetch = 2000; ///< basic.qos: unacknowledged messages the broker may send ahead
    int maxAttempts = 5; ///< tries (failures and redeliveries) before the dead-letter queue
    std::chrono::milliseconds connectTimeout {3000}; ///< TCP connect and each synchronous call
    std::chrono::milliseconds minBackoff {100}; ///< first reconnect delay, doubled per failure
    std::chrono::milliseconds maxBackoff {5000}; ///< longest reconnect delay
    int heartbeatSeconds = 10; ///< AMQP heartbeat; 0 turns it off
};

} // namespace flashsale::amqp
