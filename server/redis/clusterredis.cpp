#include "clusterredis.h"

#include "rediscategory.h"

#include <QSet>

namespace flashsale::redis {

namespace {

// A cluster has database 0 only.
RedisUrl databaseZero(RedisUrl url)
{
    url.database = 0;
    return url;
}

} // namespace

/// One command on its way through the cluster, redirections and retries included.
struct ClusterRedis::Request
{
    QList<QByteArray> args; ///< the command
    int slot = -1; ///< its slot; -1: no key, any node will do
    QPointer<QObject> context; ///< the caller's context...
    bool hasContext = false; ///< ...if one was given
    ReplyCallback callback; ///< the caller's callback (may be empty)
    int redirections = 0; ///< MOVED/ASK followed so far
    int retries = 0; ///< TRYAGAIN/CLUSTERDOWN retried so far
    qint64 deadline = 0; ///< m_clock time after which retrying stops
};

ClusterRedis::ClusterRedis(const RedisUrl &url, const RedisOptions &options, QObject *parent)
    : Redis(databaseZero(url), options, parent)
    , m_url(url)
    , m_options(options)
    , m_slots(size_t(clusterSlotCount), nullptr)
{
    m_url.database = 0;
    m_clock.start();
    m_refreshTimer.setSingleShot(true);
    connect(&m_refreshTimer, &QTimer::timeout, this, &ClusterRedis::refreshSlots);
    for (const RedisEndpoint &seed : std::as_const(m_url.nodes))
        nodeFor(seed);
}

ClusterRedis::~ClusterRedis()
{
    // Connections fail their pending commands as they go: hand those to the callers as
    // they are, without routing them anywhere.
    m_closing = true;
    const QList<RedisConnection *> nodes = m_nodes.values();
    m_nodes.clear();
    qDeleteAll(nodes);
}

bool ClusterRedis::isConnected() const
{
    return m_connected;
}

QString ClusterRedis::displayName() const
{
    return m_url.displayName();
}

std::optional<RedisEndpoint> ClusterRedis::nodeForSlot(int slot) const
{
    if (slot < 0 || slot >= clusterSlotCount || !m_slots[size_t(slot)])
        return std::nullopt;
    return m_slots[size_t(slot)]->endpoint();
}

QList<RedisEndpoint> ClusterRedis::masters() const
{
    QSet<RedisConnection *> seen;
    QList<RedisEndpoint> result;
    for (RedisConnection *node : m_slots) {
        if (node && !seen.contains(node)) {
            seen.insert(node);
            result.append(node->endpoint());
        }
    }
    return result;
}

void ClusterRedis::command(const QList<QByteArray> &args, QObject *context, ReplyCallback callback)
{
    auto request = std::make_shared<Request>();
    request->args = args;
    if (const std::optional<QByteArray> key = routingKey(args))
        request->slot = keySlot(*key);
    request->context = context;
    request->hasContext = context != nullptr;
    request->callback = std::move(callback);
    request->deadline = m_clock.elapsed() + m_options.commandTimeoutMs;
    route(request);
}

void ClusterRedis::route(const std::shared_ptr<Request> &request)
{
    if (request->hasContext && !request->context)
        return;
    RedisConnection *node =
        request->slot >= 0 ? m_slots[size_t(request->slot)] : anyConnectedNode();
    if (!node) {
        scheduleRefresh();
        failLater(request,
                  request->slot >= 0 ? QStringLiteral("redis cluster: no node known for slot %1 "
                                                      "(slot map not read yet or incomplete)")
                                           .arg(request->slot)
                                     : QStringLiteral("redis cluster: no node connected"));
        return;
    }
    dispatch(request, node, false);
}

void ClusterRedis::dispatch(const std::shared_ptr<Request> &request, RedisConnection *node,
                            bool asking)
{
    auto onReply = [this, self = QPointer<ClusterRedis>(this), request](const RedisReply &reply) {
        if (!self || m_closing) {
            if (request->callback)
                request->callback(reply);
            return;
        }
        handleReply(request, reply);
    };
    QObject *context = request->hasContext ? request->context.data() : nullptr;
    if (asking)
        node->commandAsking(request->args, context, std::move(onReply));
    else
        node->command(request->args, context, std::move(onReply));
}

void ClusterRedis::handleReply(const std::shared_ptr<Request> &request, const RedisReply &reply)
{
    if (const std::optional<Redirection> redirection = parseRedirection(reply)) {
        if (++request->redirections > m_options.maxRedirections) {
            qCWarning(lcRedis).noquote()
                << "redis cluster: giving up after" << m_options.maxRedirections
                << "redirections:" << reply.errorMessage();
            deliver(request, reply);
            return;
        }
        RedisConnection *target = nodeFor(redirection->target);
        if (redirection->kind == Redirection::Kind::Moved) {
            ++m_statistics.moved;
            m_slots[size_t(redirection->slot)] = target;
            scheduleRefresh();
        } else {
            ++m_statistics.asked;
        }
        if (!target->isConnected()) {
            // A node we had not met yet: give its connection a moment.
            retryLater(request, reply);
            return;
        }
        dispatch(request, target, redirection->kind == Redirection::Kind::Ask);
        return;
    }
    if (reply.isErrorCode("TRYAGAIN") || reply.isErrorCode("CLUSTERDOWN")) {
        ++m_statistics.retried;
        retryLater(request, reply);
        return;
    }
    if (reply.isFailure())
        scheduleRefresh(); // a node went away: maybe a failover moved its slots
    deliver(request, reply);
}

void ClusterRedis::retryLater(const std::shared_ptr<Request> &request, const RedisReply &lastReply)
{
    const int pause = std::min(2 << std::min(request->retries, 5), 50);
    ++request->retries;
    if (m_clock.elapsed() + pause > request->deadline) {
        deliver(request, lastReply);
        return;
    }
    QTimer::singleShot(pause, this, [this, request] { route(request); });
}

void ClusterRedis::deliver(const std::shared_ptr<Request> &request, const RedisReply &reply)
{
    if (request->hasContext && !request->context)
        return;
    if (request->callback)
        request->callback(reply);
    else if (reply.isError())
        qCWarning(lcRedis).noquote()
            << "redis cluster:" << request->args.value(0) << "failed:" << reply.errorMessage();
}

void ClusterRedis::failLater(const std::shared_ptr<Request> &request, const QString &reason)
{
    QObject *target = request->hasContext ? request->context.data() : this;
    if (!target)
        return;
    QMetaObject::invokeMethod(
        target,
        [request, reason] {
            if (request->callback)
                request->callback(RedisReply::failure(reason));
            else
                qCWarning(lcRedis).noquote() << reason;
        },
        Qt::QueuedConnection);
}

RedisConnection *ClusterRedis::nodeFor(const RedisEndpoint &endpoint)
{
    const QString key = endpoint.toString();
    if (RedisConnection *node = m_nodes.value(key))
        return node;
    auto *node =
        new RedisConnection(endpoint, m_url, m_options, RedisConnection::Mode::Commands, this);
    m_nodes.insert(key, node);
    connect(node, &RedisConnection::connected, this, [this] {
        if (!m_connected)
            scheduleRefresh();
        updateConnected();
    });
    connect(node, &RedisConnection::disconnected, this, [this] {
        updateConnected();
        scheduleRefresh();
    });
    node->open();
    return node;
}

RedisConnection *ClusterRedis::anyConnectedNode() const
{
    for (RedisConnection *node : m_nodes) {
        if (node->isConnected())
            return node;
    }
    return nullptr;
}

void ClusterRedis::scheduleRefresh()
{
    if (m_closing)
        return;
    if (m_refreshing) {
        m_refreshAgain = true;
        return;
    }
    if (m_refreshTimer.isActive())
        return;
    // At most about ten refreshes a second, however many MOVED replies arrive.
    m_refreshTimer.start(int(std::max<qint64>(0, m_lastRefreshMs + 100 - m_clock.elapsed())));
}

void ClusterRedis::refreshSlots()
{
    if (m_refreshing || m_closing)
        return;
    RedisConnection *node = anyConnectedNode();
    if (!node)
        return; // the next node that connects asks again
    m_refreshing = true;
    m_refreshAgain = false;
    m_lastRefreshMs = m_clock.elapsed();
    ++m_statistics.refreshes;
    node->command({"CLUSTER", "SLOTS"}, this,
                  [this, queried = node->endpoint()](const RedisReply &reply) {
                      m_refreshing = false;
                      if (m_closing)
                          return;
                      const Result<QList<SlotRange>> ranges = parseClusterSlots(reply, queried);
                      if (!ranges) {
                          qCWarning(lcRedis).noquote()
                              << "redis cluster:" << queried.toString() << ranges.error();
                          m_refreshTimer.start(200);
                          return;
                      }
                      applySlots(ranges.value());
                      updateConnected();
                      Q_EMIT slotsRefreshed();
                      if (m_refreshAgain)
                          scheduleRefresh();
                  });
}

void ClusterRedis::applySlots(const QList<SlotRange> &ranges)
{
    std::vector<RedisConnection *> slots(size_t(clusterSlotCount), nullptr);
    for (const SlotRange &range : ranges) {
        RedisConnection *node = nodeFor(range.master);
        for (int slot = range.first; slot <= range.last; ++slot)
            slots[size_t(slot)] = node;
    }
    m_slots = std::move(slots);
}

void ClusterRedis::updateConnected()
{
    QString problem;
    QSet<RedisConnection *> checked;
    for (RedisConnection *node : m_slots) {
        if (!node) {
            problem = QStringLiteral("redis cluster: slot map incomplete");
            break;
        }
        if (checked.contains(node))
            continue;
        checked.insert(node);
        if (!node->isConnected()) {
            problem = node->lastError().isEmpty()
                ? QStringLiteral("redis cluster: %1 not connected").arg(node->endpoint().toString())
                : node->lastError();
            break;
        }
    }
    const bool connectedNow = problem.isEmpty();
    if (connectedNow == m_connected)
        return;
    m_connected = connectedNow;
    if (m_connected) {
        qCInfo(lcRedis).noquote() << displayName() << "connected," << checked.size() << "masters";
        Q_EMIT connected();
    } else {
        qCWarning(lcRedis).noquote() << problem;
        Q_EMIT disconnected(problem);
    }
}

} // namespace flashsale::redis
