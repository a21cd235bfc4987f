#pragma once

#include "redis.h"
#include "redisconnection.h"

namespace flashsale::redis {

/// Redis on one server: one pipelined command connection (and the base class's subscriber
/// connection).
class StandaloneRedis : public Redis
{
    Q_OBJECT
public:
    StandaloneRedis(const RedisUrl &url, const RedisOptions &options, QObject *parent = nullptr);

    bool isConnected() const override;
    QString displayName() const override;
    void command(const QList<QByteArray> &args, QObject *context, ReplyCallback callback) override;

private:
    RedisUrl m_url; ///< where, and the credentials
    RedisConnection *m_commands = nullptr; ///< the command connection (child)
};

} // namespace flashsale::redis
