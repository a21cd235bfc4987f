#include "redisconnection.h"

#include <poll.h>

#include "hiredisqtadapter.h"
#include "rediscategory.h"

#include <QVarLengthArray>

#include <hiredis/async.h>

namespace flashsale::redis {

/// One command in flight: what to call with its reply. hiredis owns it (privdata) until the
/// reply, or the NULL reply it hands out when the context is freed, comes back.
struct RedisConnection::Pending
{
    ReplyCallback callback; ///< may be empty (ASKING, fire-and-forget)
    QPointer<QObject> context; ///< no callback once this is gone...
    bool hasContext = false; ///< ...if one was given
    bool internal = false; ///< handshake: never called once the connection object is gone
    qint64 deadline = 0; ///< m_clock time by which the reply must be here
};

RedisConnection::RedisConnection(RedisEndpoint endpoint, const RedisUrl &credentials,
                                 RedisOptions options, Mode mode, QObject *parent)
    : QObject(parent)
    , m_endpoint(std::move(endpoint))
    , m_user(credentials.user)
    , m_password(credentials.password)
    , m_database(credentials.database)
    , m_options(options)
    , m_mode(mode)
    , m_backoffMs(options.reconnectMinMs)
{
    m_clock.start();
    m_deadlineTimer.setSingleShot(true);
    connect(&m_deadlineTimer, &QTimer::timeout, this, &RedisConnection::checkDeadlines);
    m_connectTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        if (m_state == State::Connecting)
            abort(describe(
                QStringLiteral("connect timed out after %1 ms").arg(m_options.connectTimeoutMs)));
    });
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &RedisConnection::startConnect);
}

RedisConnection::~RedisConnection()
{
    m_wanted = false;
    if (redisAsyncContext *context = m_context) {
        m_context = nullptr;
        // Pending callbacks still run (with a failure) but must not reach this object.
        context->data = nullptr;
        context->onConnect = nullptr;
        context->onDisconnect = nullptr;
        redisAsyncFree(context);
    }
}

void RedisConnection::open()
{
    m_wanted = true;
    if (!m_context && !m_reconnectTimer.isActive())
        startConnect();
}

void RedisConnection::close()
{
    m_wanted = false;
    m_reconnectTimer.stop();
    abort(describe(QStringLiteral("connection closed")));
}

QString RedisConnection::describe(const QString &what) const
{
    return QStringLiteral("redis %1: %2").arg(m_endpoint.toString(), what);
}

void RedisConnection::startConnect()
{
    if (!m_wanted || m_context)
        return;
    const QByteArray host = m_endpoint.host.toUtf8();
    redisAsyncContext *context = redisAsyncConnect(host.constData(), m_endpoint.port);
    if (!context) {
        lost(describe(QStringLiteral("out of memory")));
        return;
    }
    if (context->err) {
        const QString why = QString::fromUtf8(context->errstr);
        redisAsyncFree(context);
        lost(describe(why));
        return;
    }
    context->data = this;
    HiredisQtAdapter::attach(context);
    redisAsyncSetConnectCallback(context, &RedisConnection::onConnect);
    redisAsyncSetDisconnectCallback(context, &RedisConnection::onDisconnect);
    m_context = context;
    m_state = State::Connecting;
    m_subscribing = false;
    m_connectTimer.start(m_options.connectTimeoutMs);
}

void RedisConnection::onConnect(const redisAsyncContext *context, int status)
{
    auto *self = static_cast<RedisConnection *>(context->data);
    if (!self || self->m_context != context)
        return;
    if (status != REDIS_OK) {
        // hiredis frees the context as soon as this returns.
        self->m_context = nullptr;
        self->lost(self->describe(QString::fromUtf8(context->errstr)));
        return;
    }
    self->handshake();
}

void RedisConnection::onDisconnect(const redisAsyncContext *context, int status)
{
    Q_UNUSED(status);
    auto *self = static_cast<RedisConnection *>(context->data);
    if (!self || self->m_context != context)
        return;
    self->m_context = nullptr; // hiredis frees it as soon as this returns
    self->lost(self->describe(context->err ? QString::fromUtf8(context->errstr)
                                           : QStringLiteral("disconnected")));
}

void RedisConnection::handshake()
{
    const auto check = [this](const QString &step) {
        return [this, step](const RedisReply &reply) {
            if (reply.isError())
                abort(describe(QStringLiteral("%1 failed: %2").arg(step, reply.errorMessage())));
        };
    };
    if (!m_password.isEmpty()) {
        QList<QByteArray> auth {"AUTH"};
        if (!m_user.isEmpty())
            auth.append(m_user.toUtf8());
        auth.append(m_password.toUtf8());
        send(auth, this, check(QStringLiteral("AUTH")), true);
    }
    if (m_database != 0)
        send({"SELECT", QByteArray::number(m_database)}, this, check(QStringLiteral("SELECT")),
             true);
    send(
        {"PING"}, this,
        [this](const RedisReply &reply) {
            if (reply.isError()) {
                abort(describe(QStringLiteral("PING failed: %1").arg(reply.errorMessage())));
                return;
            }
            if (m_mode == Mode::Subscriber && !m_channels.isEmpty()) {
                m_subscribing = true;
                for (const QByteArray &channel : std::as_const(m_channels))
                    sendSubscribe(channel);
                return; // connected once every SUBSCRIBE is confirmed
            }
            becomeConnected();
        },
        true);
}

void RedisConnection::becomeConnected()
{
    m_connectTimer.stop();
    m_state = State::Connected;
    m_backoffMs = m_options.reconnectMinMs;
    if (m_failedAttempts > 0 || !m_lastError.isEmpty())
        qCInfo(lcRedis).noquote() << describe(QStringLiteral("connected again"));
    else
        qCDebug(lcRedis).noquote() << describe(QStringLiteral("connected"));
    m_failedAttempts = 0;
    Q_EMIT connected();
}

void RedisConnection::lost(const QString &reason)
{
    const bool wasConnected = m_state == State::Connected;
    m_state = State::Disconnected;
    m_subscribing = false;
    m_unconfirmed.clear();
    m_connectTimer.stop();
    m_lastError = reason;
    if (wasConnected) {
        qCWarning(lcRedis).noquote() << reason << "(reconnecting)";
    } else if (m_wanted) {
        // One line per outage, not one per attempt.
        if (m_failedAttempts == 0)
            qCWarning(lcRedis).noquote() << reason << "(retrying)";
        else
            qCDebug(lcRedis).noquote() << reason;
        ++m_failedAttempts;
    }
    scheduleReconnect();
    if (wasConnected)
        Q_EMIT disconnected(reason);
}

void RedisConnection::scheduleReconnect()
{
    if (!m_wanted || m_reconnectTimer.isActive())
        return;
    m_reconnectTimer.start(m_backoffMs);
    m_backoffMs = std::min(m_backoffMs * 2, m_options.reconnectMaxMs);
}

void RedisConnection::abort(const QString &reason)
{
    redisAsyncContext *context = m_context;
    if (!context)
        return;
    m_context = nullptr;
    m_lastError = reason;
    // We report the loss ourselves, once, below.
    context->onConnect = nullptr;
    context->onDisconnect = nullptr;
    // Runs every pending callback with a failure: now, or (when we are inside a hiredis
    // callback) as soon as that returns.
    redisAsyncFree(context);
    lost(reason);
}

void RedisConnection::command(const QList<QByteArray> &args, QObject *context,
                              ReplyCallback callback)
{
    if (m_mode == Mode::Subscriber) {
        failLater(context, std::move(callback),
                  describe(QStringLiteral("a subscriber connection takes no commands")));
        return;
    }
    if (m_state != State::Connected || !m_context) {
        failLater(
            context, std::move(callback),
            describe(QStringLiteral("not connected (%1)")
                         .arg(m_lastError.isEmpty() ? QStringLiteral("connecting") : m_lastError)));
        return;
    }
    send(args, context, std::move(callback), false);
}

void RedisConnection::commandAsking(const QList<QByteArray> &args, QObject *context,
                                    ReplyCallback callback)
{
    if (m_state == State::Connected && m_context && m_mode == Mode::Commands)
        send({"ASKING"}, nullptr, {}, true);
    command(args, context, std::move(callback));
}

void RedisConnection::send(const QList<QByteArray> &args, QObject *context, ReplyCallback callback,
                           bool internal)
{
    auto *pending = new Pending;
    pending->callback = std::move(callback);
    pending->context = context;
    pending->hasContext = context != nullptr;
    pending->internal = internal;
    pending->deadline = m_clock.elapsed() + m_options.commandTimeoutMs;

    QVarLengthArray<const char *, 16> argv;
    QVarLengthArray<size_t, 16> lengths;
    for (const QByteArray &arg : args) {
        argv.append(arg.constData());
        lengths.append(size_t(arg.size()));
    }
    if (redisAsyncCommandArgv(m_context, &RedisConnection::onReply, pending, int(argv.size()),
                              argv.data(), lengths.data())
        != REDIS_OK) {
        ReplyCallback failed = std::move(pending->callback);
        delete pending;
        if (!internal)
            failLater(context, std::move(failed),
                      describe(QStringLiteral("the connection is closing")));
        return;
    }
    m_pending.push_back(pending);
    if (!m_deadlineTimer.isActive())
        m_deadlineTimer.start(
            int(std::max<qint64>(0, m_pending.front()->deadline - m_clock.elapsed())));
}

void RedisConnection::failLater(QObject *context, ReplyCallback callback, const QString &reason)
{
    if (!callback) {
        qCWarning(lcRedis).noquote() << reason;
        return;
    }
    QMetaObject::invokeMethod(
        context ? context : this,
        [callback = std::move(callback), reason] { callback(RedisReply::failure(reason)); },
        Qt::QueuedConnection);
}

void RedisConnection::takePending(Pending *pending)
{
    if (!m_pending.empty() && m_pending.front() == pending) {
        m_pending.pop_front();
        return;
    }
    const auto it = std::find(m_pending.begin(), m_pending.end(), pending);
    if (it != m_pending.end())
        m_pending.erase(it);
}

void RedisConnection::onReply(redisAsyncContext *context, void *reply, void *privdata)
{
    auto *pending = static_cast<Pending *>(privdata);
    auto *self = static_cast<RedisConnection *>(context->data);
    if (self)
        self->takePending(pending);
    const bool deliver = pending->callback && (!pending->hasContext || pending->context)
        && (self || !pending->internal);
    if (deliver) {
        RedisReply result;
        if (reply)
            result = RedisReply::fromHiredis(static_cast<redisReply *>(reply));
        else if (!self)
            result = RedisReply::failure(QStringLiteral("redis: client destroyed"));
        else
            result = RedisReply::failure(self->describe(
                QStringLiteral("no reply: %1")
                    .arg(context->err ? QString::fromUtf8(context->errstr) : self->m_lastError)));
        // May destroy self: nothing after this touches it.
        pending->callback(result);
    }
    delete pending;
}

void RedisConnection::checkDeadlines()
{
    if (m_pending.empty())
        return;
    const qint64 now = m_clock.elapsed();
    const qint64 due = m_pending.front()->deadline;
    if (due > now) {
        m_deadlineTimer.start(int(due - now));
        return;
    }
    // Replies may be waiting in the socket while this thread was too busy to read them (a
    // starved event loop is not a stuck server): read what has come before judging.
    if (m_context && !m_readBeforeTimeout) {
        pollfd p {m_context->c.fd, POLLIN, 0};
        if (::poll(&p, 1, 0) > 0 && (p.revents & POLLIN)) {
            const QPointer<RedisConnection> alive(this);
            m_readBeforeTimeout = true;
            redisAsyncHandleRead(m_context);
            if (!alive)
                return;
            m_readBeforeTimeout = false;
            if (m_pending.empty() || m_pending.front()->deadline > m_clock.elapsed()) {
                if (!m_pending.empty())
                    m_deadlineTimer.start(
                        int(std::max<qint64>(0, m_pending.front()->deadline - m_clock.elapsed())));
                return;
            }
        }
    }
    // Replies come in order: with the oldest one overdue the connection is stuck (or the
    // server is), so everything on it fails now and we start afresh.
    abort(describe(QStringLiteral("command timed out after %1 ms, connection reset")
                       .arg(m_options.commandTimeoutMs)));
}

void RedisConnection::subscribe(const QByteArray &channel)
{
    if (m_mode != Mode::Subscriber) {
        qCWarning(lcRedis).noquote()
            << describe(QStringLiteral("subscribe on a command connection ignored"));
        return;
    }
    if (m_channels.contains(channel))
        return;
    m_channels.insert(channel);
    if (m_context && (m_state == State::Connected || m_subscribing))
        sendSubscribe(channel);
}

void RedisConnection::sendSubscribe(const QByteArray &channel)
{
    const char *argv[] = {"SUBSCRIBE", channel.constData()};
    const size_t lengths[] = {9, size_t(channel.size())};
    if (redisAsyncCommandArgv(m_context, &RedisConnection::onMessage, nullptr, 2, argv, lengths)
        != REDIS_OK) {
        abort(describe(
            QStringLiteral("SUBSCRIBE %1 could not be sent").arg(QString::fromUtf8(channel))));
        return;
    }
    m_unconfirmed.insert(channel);
}

void RedisConnection::onMessage(redisAsyncContext *context, void *reply, void *privdata)
{
    Q_UNUSED(privdata);
    auto *self = static_cast<RedisConnection *>(context->data);
    auto *r = static_cast<redisReply *>(reply);
    // A NULL reply means the connection is going away: onDisconnect reports that.
    if (!self || !r)
        return;
    if (r->type == REDIS_REPLY_ERROR) {
        self->abort(self->describe(QStringLiteral("SUBSCRIBE failed: %1")
                                       .arg(QString::fromUtf8(r->str, qsizetype(r->len)))));
        return;
    }
    if (r->type != REDIS_REPLY_ARRAY || r->elements < 3 || r->element[0]->type != REDIS_REPLY_STRING
        || r->element[1]->type != REDIS_REPLY_STRING)
        return;
    const QByteArrayView kind(r->element[0]->str, qsizetype(r->element[0]->len));
    const QByteArray channel(r->element[1]->str, qsizetype(r->element[1]->len));
    if (kind == "message" && r->element[2]->type == REDIS_REPLY_STRING) {
        Q_EMIT self->message(channel,
                             QByteArray(r->element[2]->str, qsizetype(r->element[2]->len)));
    } else if (kind == "subscribe") {
        self->m_unconfirmed.remove(channel);
        if (self->m_state == State::Connecting && self->m_unconfirmed.isEmpty())
            self->becomeConnected();
    }
}

} // namespace flashsale::redis
