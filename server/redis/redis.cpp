#include "redis.h"

#include "clusterredis.h"
#include "rediscategory.h"
#include "redisconnection.h"
#include "standaloneredis.h"

namespace flashsale::redis {

Redis::Redis(const RedisUrl &url, const RedisOptions &options, QObject *parent)
    : QObject(parent)
    , m_subscriberUrl(url)
    , m_subscriberOptions(options)
{ }

Result<std::unique_ptr<Redis>> Redis::open(const QString &url, const RedisOptions &options,
                                           QObject *parent)
{
    Result<RedisUrl> parsed = RedisUrl::parse(url);
    if (!parsed)
        return Result<std::unique_ptr<Redis>>::failure(parsed.error());
    return Result<std::unique_ptr<Redis>>(open(parsed.value(), options, parent));
}

std::unique_ptr<Redis> Redis::open(const RedisUrl &url, const RedisOptions &options,
                                   QObject *parent)
{
    if (url.kind == RedisUrl::Kind::Cluster)
        return std::make_unique<ClusterRedis>(url, options, parent);
    return std::make_unique<StandaloneRedis>(url, options, parent);
}

void Redis::evalScript(const RedisScript &script, const QList<QByteArray> &keys,
                       const QList<QByteArray> &args, QObject *context, ReplyCallback callback)
{
    QList<QByteArray> evalsha;
    evalsha.reserve(3 + keys.size() + args.size());
    evalsha << QByteArrayLiteral("EVALSHA") << script.sha1() << QByteArray::number(keys.size());
    evalsha << keys << args;
    command(evalsha, context,
            [self = QPointer<Redis>(this), script, evalsha, context,
             callback = std::move(callback)](const RedisReply &reply) mutable {
                if (!reply.isErrorCode("NOSCRIPT") || !self) {
                    if (callback)
                        callback(reply);
                    return;
                }
                // Once per script and client at info level: after a restart every command
                // in flight meets NOSCRIPT, and each is resent.
                if (!self->m_scriptsReloaded.contains(script.sha1())) {
                    self->m_scriptsReloaded.insert(script.sha1());
                    qCInfo(lcRedis).noquote() << self->displayName() << ": script" << script.name()
                                              << "not in the server's cache, sending it";
                } else {
                    qCDebug(lcRedis).noquote()
                        << self->displayName() << ": resending script" << script.name();
                }
                QList<QByteArray> eval = std::move(evalsha);
                eval[0] = QByteArrayLiteral("EVAL");
                eval[1] = script.source();
                self->command(eval, context, std::move(callback));
            });
}

void Redis::subscribe(const QByteArray &channel, QObject *context, MessageCallback callback)
{
    m_subscriptions.push_back({channel, context, context != nullptr, std::move(callback)});
    listen(channel);
}

void Redis::listen(const QByteArray &channel)
{
    if (!m_subscriber) {
        m_subscriber =
            new RedisConnection(m_subscriberUrl.nodes.first(), m_subscriberUrl, m_subscriberOptions,
                                RedisConnection::Mode::Subscriber, this);
        connect(m_subscriber, &RedisConnection::message, this, &Redis::dispatchMessage);
        connect(m_subscriber, &RedisConnection::connected, this, &Redis::subscriptionsActive);
        m_subscriber->subscribe(channel);
        m_subscriber->open();
        return;
    }
    m_subscriber->subscribe(channel);
}

void Redis::publish(const QByteArray &channel, const QByteArray &message, QObject *context,
                    ReplyCallback callback)
{
    command({"PUBLISH", channel, message}, context, std::move(callback));
}

void Redis::dispatchMessage(const QByteArray &channel, const QByteArray &message)
{
    std::erase_if(m_subscriptions,
                  [](const Subscription &s) { return s.hasContext && !s.context; });
    // Copy: a callback may subscribe (append) while we iterate.
    const std::vector<Subscription> subscriptions = m_subscriptions;
    QPointer<Redis> self(this);
    for (const Subscription &subscription : subscriptions) {
        if (subscription.channel != channel || (subscription.hasContext && !subscription.context))
            continue;
        subscription.callback(channel, message);
        if (!self)
            return;
    }
}

} // namespace flashsale::redis
