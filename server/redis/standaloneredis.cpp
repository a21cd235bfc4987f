#include "standaloneredis.h"

namespace flashsale::redis {

StandaloneRedis::StandaloneRedis(const RedisUrl &url, const RedisOptions &options, QObject *parent)
    : Redis(url, options, parent)
    , m_url(url)
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

} // namespace flashsale::redis
