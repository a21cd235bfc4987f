#pragma once

#include <QByteArray>
#include <QObject>
#include <QTimer>

namespace flashsale::redis {
class Redis;
}
namespace flashsale::sale {
class ProductBuckets;
}

namespace flashsale {

/// Announces this API instance in Redis and counts the live ones, so the site-wide token
/// rates are shared among them: every interval it stamps its id with the time in the
/// sorted set key(site), drops the ids not stamped for three intervals and hands the count
/// to the product buckets. While Redis does not answer the last count stays. A site is the
/// instances sharing one database (so sites, or test runs, sharing a Redis stay apart).
class InstanceHeartbeat : public QObject
{
    Q_OBJECT
public:
    /// Beats for \a site with \a redis (a client of this object's thread) every \a intervalMs.
    InstanceHeartbeat(redis::Redis &redis, sale::ProductBuckets &buckets, const QString &site,
                      int intervalMs, QObject *parent = nullptr);

    /// Beats now and then every interval.
    void start();

    /// This instance's id in the set (random, made at construction).
    QByteArray id() const { return m_id; }
    /// `flashsale:instances:<site>`: instance id -> last heartbeat (ms since the epoch).
    static QByteArray key(const QString &site);

Q_SIGNALS:
    /// A beat counted \a instances live instances (this one included).
    void counted(int instances);

private:
    void beat();

    redis::Redis &m_redis;
    sale::ProductBuckets &m_buckets;
    QByteArray m_id;
    QByteArray m_key; ///< key(site)
    QTimer m_timer;
    int m_intervalMs = 1000;
};

} // namespace flashsale
