#pragma once

#include "amqptopology.h"
#include "amqpurl.h"
#include "result.h"

#include <QByteArray>
#include <QLoggingCategory>

#include <amqp.h>

#include <chrono>
#include <set>

Q_DECLARE_LOGGING_CATEGORY(lcAmqp)

namespace flashsale::amqp {

/// One blocking rabbitmq-c connection with one channel, for the thread that owns it (a
/// rabbitmq-c connection must never be used from two threads). Every failure comes back
/// as a Status naming the broker and the reason; after a failure the connection is closed
/// and must be opened again.
class AmqpConnection
{
public:
    AmqpConnection() = default;
    ~AmqpConnection();
    AmqpConnection(const AmqpConnection &) = delete;
    AmqpConnection &operator=(const AmqpConnection &) = delete;

    /// The channel everything runs on.
    static constexpr amqp_channel_t channel = 1;

    /// Connects, logs in and opens the channel. \a timeout bounds the TCP connect and each
    /// later synchronous call; \a heartbeatSeconds 0 turns heartbeats off.
    Status open(const AmqpUrl &url, std::chrono::milliseconds timeout, int heartbeatSeconds);

    /// Declares \a topology (idempotent).
    Status declare(const AmqpTopology &topology);

    /// Puts the channel in publisher-confirm mode (confirm.select).
    Status enableConfirms();

    /// Publishes \a body as a persistent JSON message; \a attempts > 0 adds the
    /// `x-flashsale-attempts` header. Does not wait for the confirm.
    Status publish(const QString &exchange, const QString &routingKey, const QByteArray &body,
                   int attempts = 0);

    /// Waits up to \a timeout until the broker confirmed everything published since
    /// enableConfirms() (for a connection used only synchronously); a nack fails.
    Status waitForConfirms(std::chrono::milliseconds timeout);

    /// Closes politely if open (channel.close, connection.close), then frees everything.
    void close();
    /// Drops the connection without the closing handshake (after an error).
    void abandon();

    bool isOpen() const { return m_state != nullptr; }
    amqp_connection_state_t state() const { return m_state; }
    /// The socket, for a QSocketNotifier; -1 when closed.
    int socketDescriptor() const;
    /// "host:port/vhost" of the broker last opened.
    QString brokerName() const { return m_brokerName; }

    /// Why the last synchronous call failed, from rabbitmq-c's reply (empty if it did not).
    QString lastReplyError(const char *what) const;
    /// A failed status for a rabbitmq-c status code (AMQP_STATUS_*).
    Status statusFailure(const char *what, int status) const;
    /// The broker's reason for closing, from a channel.close or connection.close frame.
    static QString describeClose(const amqp_frame_t &frame);

private:
    Status check(const char *what);

    amqp_connection_state_t m_state = nullptr;
    QString m_brokerName;
    bool m_channelOpen = false;
    bool m_confirming = false;
    uint64_t m_lastPublishedTag = 0; ///< in confirm mode: the tag of the last publish
    std::set<uint64_t> m_unconfirmed; ///< in confirm mode: published, not yet acked
};

} // namespace flashsale::amqp
