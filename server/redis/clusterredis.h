#pragma once

#include "clusterrouting.h"
#include "redis.h"
#include "redisconnection.h"

#include <QElapsedTimer>
#include <QHash>
#include <QTimer>

#include <memory>
#include <optional>
#include <vector>

namespace flashsale::redis {

/// Redis Cluster: the slot map from CLUSTER SLOTS, one pipelined connection per master,
/// each command sent to the owner of its key's slot. MOVED updates the map (and reads it
/// again) and resends; ASK resends once with ASKING to the importing node; TRYAGAIN and
/// CLUSTERDOWN (a slot in migration, a failover) are retried with a short pause until the
/// command's deadline. Pub/sub runs on a subscriber connection to the first seed node.
class ClusterRedis : public Redis
{
    Q_OBJECT
public:
    /// What the routing had to do so far (for tests and metrics).
    struct Statistics
    {
        quint64 moved = 0; ///< MOVED replies followed
        quint64 asked = 0; ///< ASK replies followed
        quint64 retried = 0; ///< TRYAGAIN / CLUSTERDOWN replies retried
        quint64 refreshes = 0; ///< CLUSTER SLOTS requests
    };

    ClusterRedis(const RedisUrl &url, const RedisOptions &options, QObject *parent = nullptr);
    ~ClusterRedis() override;

    bool isConnected() const override;
    QString displayName() const override;
    void command(const QList<QByteArray> &args, QObject *context, ReplyCallback callback) override;

    /// The master serving \a slot as far as this client knows.
    std::optional<RedisEndpoint> nodeForSlot(int slot) const;
    /// The masters currently in the slot map.
    QList<RedisEndpoint> masters() const;
    const Statistics &statistics() const { return m_statistics; }
    /// Reads the slot map again (slotsRefreshed() follows).
    void refreshSlots();

Q_SIGNALS:
    /// A new slot map was read.
    void slotsRefreshed();

private:
    struct Request;

    void route(const std::shared_ptr<Request> &request);
    void dispatch(const std::shared_ptr<Request> &request, RedisConnection *node, bool asking);
    void handleReply(const std::shared_ptr<Request> &request, const RedisReply &reply);
    void retryLater(const std::shared_ptr<Request> &request, const RedisReply &lastReply);
    void deliver(const std::shared_ptr<Request> &request, const RedisReply &reply);
    void failLater(const std::shared_ptr<Request> &request, const QString &reason);
    RedisConnection *nodeFor(const RedisEndpoint &endpoint);
    RedisConnection *anyConnectedNode() const;
    void scheduleRefresh();
    void applySlots(const QList<SlotRange> &ranges);
    void updateConnected();

    RedisUrl m_url; ///< seeds and credentials
    RedisOptions m_options; ///< timeouts, backoff, redirection limit
    QHash<QString, RedisConnection *> m_nodes; ///< by "host:port"; children
    std::vector<RedisConnection *> m_slots; ///< owner of each slot; null: unknown
    bool m_refreshing = false; ///< CLUSTER SLOTS in flight
    bool m_refreshAgain = false; ///< another refresh was asked for meanwhile
    qint64 m_lastRefreshMs = -1000000; ///< m_clock time of the last refresh
    QTimer m_refreshTimer; ///< debounces refreshes
    bool m_connected = false; ///< what isConnected() says
    bool m_closing = false; ///< in the destructor: deliver, never route again
    Statistics m_statistics; ///< see Statistics
    QElapsedTimer m_clock; ///< time base for deadlines and refresh pacing
};

} // namespace flashsale::redis
