#include "instanceheartbeat.h"

#include "productbuckets.h"
#include "redis.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QUuid>

Q_LOGGING_CATEGORY(lcHeartbeat, "flashsale.heartbeat")

namespace flashsale {

InstanceHeartbeat::InstanceHeartbeat(redis::Redis &redis, sale::ProductBuckets &buckets,
                                     const QString &site, int intervalMs, QObject *parent)
    : QObject(parent)
    , m_redis(redis)
    , m_buckets(buckets)
    , m_id(QUuid::createUuid().toByteArray(QUuid::WithoutBraces))
    , m_key(key(site))
    , m_intervalMs(intervalMs)
{
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &InstanceHeartbeat::beat);
    // A beat as soon as Redis is back, so the count does not wait for the timer.
    connect(&m_redis, &redis::Redis::connected, this, &InstanceHeartbeat::beat);
}

QByteArray InstanceHeartbeat::key(const QString &site)
{
    return QByteArrayLiteral("flashsale:instances:") + site.toUtf8();
}

void InstanceHeartbeat::start()
{
    beat();
    m_timer.start();
}

void InstanceHeartbeat::beat()
{
    if (!m_redis.isConnected())
        return;
    // One connection keeps the order: stamp, forget the silent, count.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QByteArray oldest = QByteArray::number(now - 3 * qint64(m_intervalMs));
    const auto logged = [](const redis::RedisReply &reply) {
        if (reply.isError())
            qCWarning(lcHeartbeat).noquote() << "heartbeat failed:" << reply.bytes();
    };
    m_redis.command({"ZADD", m_key, QByteArray::number(now), m_id}, this, logged);
    m_redis.command({"ZREMRANGEBYSCORE", m_key, "-inf", "(" + oldest}, this, logged);
    m_redis.command({"ZCARD", m_key}, this, [this](const redis::RedisReply &reply) {
        bool ok = false;
        const qint64 live = reply.toInteger(&ok);
        if (!ok || live < 1) {
            qCWarning(lcHeartbeat).noquote() << "cannot count the instances:" << reply.bytes()
                                             << "(keeping" << m_buckets.instances() << ")";
            return;
        }
        if (live != m_buckets.instances())
            qCInfo(lcHeartbeat) << live << "API instances share the site-wide rates";
        m_buckets.setInstances(int(live));
        Q_EMIT counted(int(live));
    });
}

} // namespace flashsale
