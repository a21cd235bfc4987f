#include "standaloneredis.h"

namespace flashsale::redis {

StandaloneRedis::StandaloneRedis(const RedisUrl &url, const RedisOptions &options, QObject *parent)
    : Redis(parent)
    , m_url(url)
    , m_options(options)
    , m_commands(new RedisConnection(url.nodes.first(), url, options,
                                     RedisConnection::Mode::Commands, this))
{
    connect(m_commands, &RedisConnection::connected, this, &Redis::connected);
    connect(m_commands, &RedisConnection::disconnected, this, &Redis::disconnected);
    m_commands->open();
}

bool StandaloneRedis::isConnected() const
{
    return m_commands->isConnected();
}

QString StandaloneRedis::displayName() const
{
    return m_url.displayName();
}

void StandaloneRedis::command(const QList<QByteArray> &args, QObject *context,
                              ReplyCallback callback)
{
    m_commands->command(args, context, std::move(callback));
}

void StandaloneRedis::listen(const QByteArray &channel)
{
    if (!m_subscriber) {
        m_subscriber = new RedisConnection(m_url.nodes.first(), m_url, m_options,
                                           RedisConnection::Mode::Subscriber, this);
        connect(m_subscriber, &RedisConnection::message, this, &StandaloneRedis::dispatchMessage);
        connect(m_subscriber, &RedisConnection::connected, this, &Redis::subscriptionsActive);
        m_subscriber->subscribe(channel);
        m_subscriber->open();
        return;
    }
    m_subscriber->subscribe(channel);
}

} // namespace flashsale::redis
