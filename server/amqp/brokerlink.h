#pragma once

#include <chrono>
#include <functional>

class QObject;
class QSocketNotifier;
class QTimer;

namespace flashsale::amqp {

class AmqpConnection;

/// How a session on its own thread stays connected to the broker (the publisher's and the
/// consumer's alike): the next attempt after a backoff that doubles per failed attempt, a
/// socket notifier while connected, and a housekeeping tick (heartbeats, timeouts). Made,
/// used and destroyed on the session's thread.
class BrokerLink
{
public:
    /// What the session does when; every call on the session's thread.
    struct Hooks
    {
        std::function<void()> reconnect; ///< the next attempt is due
        std::function<void()> readable; ///< the open connection's socket has data
        std::function<void()> housekeeping; ///< every housekeeping interval, from the start
    };

    BrokerLink(QObject *session, std::chrono::milliseconds minBackoff,
               std::chrono::milliseconds maxBackoff, std::chrono::milliseconds housekeeping,
               Hooks hooks);
    ~BrokerLink();
    BrokerLink(const BrokerLink &) = delete;
    BrokerLink &operator=(const BrokerLink &) = delete;

    /// After a failed attempt: schedules the next, twice the last delay (the minimum at
    /// first, the maximum at most); returns the delay.
    std::chrono::milliseconds attemptFailed();
    /// After \a connection opened: watches its socket; the backoff starts over.
    void opened(const AmqpConnection &connection);
    /// The connection dropped (call before closing it): stops watching its socket and
    /// schedules the next attempt after the minimum delay, unless \a retry is false.
    void lost(bool retry);
    /// No more attempts and no more housekeeping (shutdown begins); the socket stays
    /// watched until lost() or the end.
    void stop();

private:
    QObject *m_session = nullptr;
    std::chrono::milliseconds m_minBackoff;
    std::chrono::milliseconds m_maxBackoff;
    std::chrono::milliseconds m_backoff {0}; ///< the last delay; 0 while connected
    std::function<void()> m_readable;
    QTimer *m_reconnectTimer = nullptr; ///< child of the session
    QTimer *m_housekeepingTimer = nullptr; ///< child of the session
    QSocketNotifier *m_notifier = nullptr; ///< child of the session, while connected
};

} // namespace flashsale::amqp
