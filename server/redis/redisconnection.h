#pragma once

#include "redisoptions.h"
#include "redisreply.h"
#include "redisurl.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <deque>
#include <functional>

struct redisAsyncContext;

namespace flashsale::redis {

/// One asynchronous connection to one Redis server, driven by the Qt event loop: many
/// commands in flight (pipelined, replies matched in order), a deadline on each, reconnect
/// with backoff, and commands refused at once while it is down. In subscriber mode it
/// only listens to channels and subscribes again after each reconnect.
/// Lives in one thread; not thread-safe.
class RedisConnection : public QObject
{
    Q_OBJECT
public:
    /// Called exactly once per command with the reply or a Failure, unless the context
    /// object given with the command was destroyed first.
    using ReplyCallback = std::function<void(const RedisReply &)>;

    enum class Mode {
        Commands, ///< request/reply
        Subscriber, ///< SUBSCRIBE only; messages arrive through message()
    };
    enum class State {
        Disconnected, ///< down; waiting to reconnect (or closed)
        Connecting, ///< TCP connect and handshake (AUTH, SELECT, PING) under way
        Connected, ///< commands are accepted
    };
    Q_ENUM(State)

    /// A connection to \a endpoint; open() starts it.
    RedisConnection(RedisEndpoint endpoint, const RedisUrl &credentials, RedisOptions options,
                    Mode mode = Mode::Commands, QObject *parent = nullptr);
    ~RedisConnection() override;

    /// Connects, and keeps reconnecting after losses until close().
    void open();
    /// Disconnects for good: pending commands fail, no reconnect.
    void close();

    State state() const { return m_state; }
    bool isConnected() const { return m_state == State::Connected; }
    const RedisEndpoint &endpoint() const { return m_endpoint; }
    /// Why the connection last went down or failed to come up.
    const QString &lastError() const { return m_lastError; }

    /// Sends \a args as one command. While not connected the callback gets a Failure
    /// (from the event loop, never from inside this call). \a context may be null.
    void command(const QList<QByteArray> &args, QObject *context, ReplyCallback callback);
    /// Sends ASKING and then \a args (Cluster: the one command an ASK redirection allows).
    void commandAsking(const QList<QByteArray> &args, QObject *context, ReplyCallback callback);

    /// Subscriber mode: listens to \a channel from now on and after every reconnect.
    void subscribe(const QByteArray &channel);

    /// Commands sent and not answered yet.
    int pendingCount() const { return int(m_pending.size()); }

Q_SIGNALS:
    /// Connected (again): the handshake succeeded; in subscriber mode all channels are
    /// subscribed.
    void connected();
    /// The connection was lost (only after connected()); it reconnects by itself.
    void disconnected(const QString &reason);
    /// Subscriber mode: a message arrived on \a channel.
    void message(const QByteArray &channel, const QByteArray &payload);

private:
    struct Pending;

    void startConnect();
    void scheduleReconnect();
    void handshake();
    void becomeConnected();
    void sendSubscribe(const QByteArray &channel);
    void send(const QList<QByteArray> &args, QObject *context, ReplyCallback callback,
              bool internal);
    void failLater(QObject *context, ReplyCallback callback, const QString &reason);
    void abort(const QString &reason);
    void lost(const QString &reason);
    void checkDeadlines();
    void takePending(Pending *pending);
    QString describe(const QString &what) const;

    static void onReply(redisAsyncContext *context, void *reply, void *privdata);
    static void onMessage(redisAsyncContext *context, void *reply, void *privdata);
    static void onConnect(const redisAsyncContext *context, int status);
    static void onDisconnect(const redisAsyncContext *context, int status);

    RedisEndpoint m_endpoint; ///< the server
    QString m_user; ///< AUTH user (Redis 6 ACL), may be empty
    QString m_password; ///< AUTH password, empty: no AUTH
    int m_database = 0; ///< SELECTed when not 0
    RedisOptions m_options; ///< timeouts and backoff
    Mode m_mode = Mode::Commands; ///< commands or subscriber
    State m_state = State::Disconnected; ///< see State
    bool m_wanted = false; ///< open() called and not closed: reconnect after losses
    redisAsyncContext *m_context = nullptr; ///< the live hiredis context, if any
    std::deque<Pending *> m_pending; ///< sent and not answered, in send order
    QElapsedTimer m_clock; ///< time base of the deadlines
    QTimer m_deadlineTimer; ///< fires at the oldest pending command's deadline
    QTimer m_connectTimer; ///< bounds connect + handshake
    QTimer m_reconnectTimer; ///< the backoff pause
    int m_backoffMs = 0; ///< next pause before reconnecting
    QString m_lastError; ///< why it last went down
    QSet<QByteArray> m_channels; ///< subscriber mode: channels to (re)subscribe
    QSet<QByteArray> m_unconfirmed; ///< subscriber mode: SUBSCRIBE sent, not confirmed yet
    bool m_subscribing = false; ///< subscriber mode: handshake done, confirmations awaited
    int m_failedAttempts = 0; ///< connect attempts failed in a row (to log an outage once)
    bool m_readBeforeTimeout = false; ///< reading inside checkDeadlines(): not again
};

} // namespace flashsale::redis
