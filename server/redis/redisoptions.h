#pragma once

namespace flashsale::redis {

/// How a Redis client behaves when things are slow or down.
struct RedisOptions
{
    /// Every command must be answered within this; when it is not, the command fails with
    /// a timeout and its connection is reset (a pipelined connection that stopped answering
    /// cannot be trusted with the next command either).
    int commandTimeoutMs = 2000;
    /// Connecting (TCP, AUTH, SELECT, PING) must finish within this.
    int connectTimeoutMs = 2000;
    /// First pause before reconnecting; doubles after each failed attempt...
    int reconnectMinMs = 50;
    /// ... up to this.
    int reconnectMaxMs = 2000;
    /// Cluster: MOVED/ASK redirections followed for one command before it fails.
    int maxRedirections = 16;
};

} // namespace flashsale::redis
