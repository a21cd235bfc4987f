#pragma once

#include "redisoptions.h"
#include "redisreply.h"
#include "redisscript.h"
#include "redisurl.h"
#include "result.h"

#include <QObject>
#include <QPointer>
#include <QSet>

#include <functional>
#include <memory>
#include <vector>

namespace flashsale::redis {

class RedisConnection;

/// The Redis client the rest of the server uses, the same for `redis://` (one server) and
/// `redis-cluster://` (slot routing, MOVED/ASK). Asynchronous and pipelined: any number of
/// commands in flight; every callback is called exactly once (reply or failure) unless its
/// context object is destroyed first, and never from inside the call that issued it fails.
/// While disconnected, commands fail at once with a clear error (for circuit breakers);
/// the client reconnects by itself. One object per thread: create one in each event-loop
/// thread that needs Redis.
class Redis : public QObject
{
    Q_OBJECT
public:
    using ReplyCallback = std::function<void(const RedisReply &)>;
    using MessageCallback =
        std::function<void(const QByteArray &channel, const QByteArray &message)>;

    /// A client for \a url (see RedisUrl), already connecting; connected() says when it
    /// can take commands. Fails only for a bad URL.
    static Result<std::unique_ptr<Redis>> open(const QString &url, const RedisOptions &options = {},
                                               QObject *parent = nullptr);
    /// The same for a parsed \a url (which cannot fail).
    static std::unique_ptr<Redis> open(const RedisUrl &url, const RedisOptions &options = {},
                                       QObject *parent = nullptr);

    /// True while commands can be sent (cluster: the slot map is known and every master
    /// that owns slots is connected).
    virtual bool isConnected() const = 0;
    /// The URL without credentials.
    virtual QString displayName() const = 0;

    /// Sends one command (\a args, e.g. {"HGET", key, field}). In a cluster it goes to
    /// the node owning the slot of its first key (see routingKey()). \a callback may be
    /// empty (errors are then logged); \a context may be null.
    virtual void command(const QList<QByteArray> &args, QObject *context,
                         ReplyCallback callback) = 0;

    /// Runs \a script with EVALSHA; when the server does not know it (NOSCRIPT: after a
    /// restart or failover) it is sent again with EVAL, which also loads it.
    void evalScript(const RedisScript &script, const QList<QByteArray> &keys,
                    const QList<QByteArray> &args, QObject *context, ReplyCallback callback);

    /// Calls \a callback for each message on \a channel until \a context is destroyed.
    /// Subscriptions live on a dedicated connection and are renewed after reconnects;
    /// messages published while it was down are missed (see subscriptionsActive()).
    void subscribe(const QByteArray &channel, QObject *context, MessageCallback callback);

    /// PUBLISH \a message on \a channel (in a cluster every node's subscribers get it).
    void publish(const QByteArray &channel, const QByteArray &message, QObject *context = nullptr,
                 ReplyCallback callback = {});

Q_SIGNALS:
    /// Commands can be sent (again).
    void connected();
    /// Commands fail from now on, until connected(); \a reason says why.
    void disconnected(const QString &reason);
    /// The subscriber connection has (re)subscribed every channel: state announced on
    /// them while it was down may have been missed, so re-read it now.
    void subscriptionsActive();

protected:
    /// Pub/sub goes through one subscriber connection to the first node of \a url, made on
    /// the first subscribe().
    Redis(const RedisUrl &url, const RedisOptions &options, QObject *parent = nullptr);

private:
    /// Makes sure the subscriber connection listens to \a channel.
    void listen(const QByteArray &channel);
    /// Hands a message from the subscriber connection to the subscribers of its channel.
    void dispatchMessage(const QByteArray &channel, const QByteArray &message);

    struct Subscription
    {
        QByteArray channel; ///< the channel listened to
        QPointer<QObject> context; ///< the subscription ends with this object...
        bool hasContext = false; ///< ...if one was given
        MessageCallback callback; ///< called per message
    };
    std::vector<Subscription> m_subscriptions; ///< in subscription order
    QSet<QByteArray> m_scriptsReloaded; ///< SHA1s resent after NOSCRIPT (to log them once)
    RedisUrl m_subscriberUrl; ///< where the subscriber connection goes, and its credentials
    RedisOptions m_subscriberOptions; ///< its timeouts and backoff
    RedisConnection *m_subscriber = nullptr; ///< the subscriber connection (child), lazily
};

} // namespace flashsale::redis
