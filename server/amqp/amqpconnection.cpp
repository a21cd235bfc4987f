#include "amqpconnection.h"

#include <amqp_framing.h>
#include <amqp_tcp_socket.h>

#include <QElapsedTimer>

#include <sys/time.h>

Q_LOGGING_CATEGORY(lcAmqp, "flashsale.amqp")

namespace flashsale::amqp {

namespace {

amqp_bytes_t bytesOf(const QByteArray &data)
{
    return amqp_bytes_t {size_t(data.size()), const_cast<char *>(data.constData())};
}

QString textOf(amqp_bytes_t bytes)
{
    return QString::fromUtf8(static_cast<const char *>(bytes.bytes), qsizetype(bytes.len));
}

timeval timevalOf(std::chrono::milliseconds ms)
{
    if (ms.count() < 0)
        ms = std::chrono::milliseconds(0);
    return timeval {time_t(ms.count() / 1000), suseconds_t((ms.count() % 1000) * 1000)};
}

amqp_table_entry_t stringEntry(const char *key, const QByteArray &value)
{
    amqp_table_entry_t entry;
    entry.key = amqp_cstring_bytes(key);
    entry.value.kind = AMQP_FIELD_KIND_UTF8;
    entry.value.value.bytes = bytesOf(value);
    return entry;
}

} // namespace

AmqpConnection::~AmqpConnection()
{
    close();
}

Status AmqpConnection::open(const AmqpUrl &url, std::chrono::milliseconds timeout,
                            int heartbeatSeconds)
{
    abandon();
    m_brokerName = url.displayName();
    m_state = amqp_new_connection();
    if (!m_state)
        return Status::failure(QStringLiteral("cannot allocate an AMQP connection"));
    amqp_socket_t *socket = amqp_tcp_socket_new(m_state);
    if (!socket) {
        abandon();
        return Status::failure(QStringLiteral("cannot create a TCP socket for AMQP"));
    }
    const QByteArray host = url.host.toUtf8();
    const timeval tv = timevalOf(timeout);
    if (const int rc = amqp_socket_open_noblock(socket, host.constData(), url.port, &tv);
        rc != AMQP_STATUS_OK) {
        const Status s = statusFailure("connect", rc);
        abandon();
        return s;
    }
    amqp_set_rpc_timeout(m_state, &tv);
    const QByteArray vhost = url.vhost.toUtf8();
    const QByteArray user = url.user.toUtf8();
    const QByteArray password = url.password.toUtf8();
    const amqp_rpc_reply_t login =
        amqp_login(m_state, vhost.constData(), 0, AMQP_DEFAULT_FRAME_SIZE, heartbeatSeconds,
                   AMQP_SASL_METHOD_PLAIN, user.constData(), password.constData());
    if (login.reply_type != AMQP_RESPONSE_NORMAL) {
        const Status s = Status::failure(
            QStringLiteral("%1 (user '%2')").arg(lastReplyError("log in"), url.user));
        abandon();
        return s;
    }
    amqp_channel_open(m_state, channel);
    if (Status s = check("open channel"); !s)
        return s;
    m_channelOpen = true;
    return Status::success();
}

Status AmqpConnection::declare(const AmqpTopology &topology)
{
    const QByteArray exchange = topology.exchange.toUtf8();
    const QByteArray queue = topology.queue.toUtf8();
    const QByteArray key = topology.routingKey.toUtf8();
    const QByteArray dlx = topology.deadLetterExchange.toUtf8();
    const QByteArray dlq = topology.deadLetterQueue.toUtf8();
    const QByteArray quorum = QByteArrayLiteral("quorum");
    const amqp_table_t none = amqp_empty_table;

    amqp_exchange_declare(m_state, channel, bytesOf(exchange), amqp_cstring_bytes("direct"), 0, 1,
                          0, 0, none);
    if (Status s = check("declare exchange"); !s)
        return s;
    amqp_exchange_declare(m_state, channel, bytesOf(dlx), amqp_cstring_bytes("fanout"), 0, 1, 0, 0,
                          none);
    if (Status s = check("declare dead-letter exchange"); !s)
        return s;

    amqp_table_entry_t dlqArgs[] = {stringEntry("x-queue-type", quorum)};
    amqp_queue_declare(m_state, channel, bytesOf(dlq), 0, 1, 0, 0,
                       topology.quorum ? amqp_table_t {1, dlqArgs} : none);
    if (Status s = check("declare dead-letter queue"); !s)
        return s;
    amqp_queue_bind(m_state, channel, bytesOf(dlq), bytesOf(dlx), amqp_empty_bytes, none);
    if (Status s = check("bind dead-letter queue"); !s)
        return s;

    amqp_table_entry_t queueArgs[] = {stringEntry("x-dead-letter-exchange", dlx),
                                      stringEntry("x-queue-type", quorum)};
    amqp_queue_declare(m_state, channel, bytesOf(queue), 0, 1, 0, 0,
                       amqp_table_t {topology.quorum ? 2 : 1, queueArgs});
    if (Status s = check("declare orders queue"); !s)
        return s;
    amqp_queue_bind(m_state, channel, bytesOf(queue), bytesOf(exchange), bytesOf(key), none);
    return check("bind orders queue");
}

Status AmqpConnection::enableConfirms()
{
    amqp_confirm_select(m_state, channel);
    if (Status s = check("confirm.select"); !s)
        return s;
    m_confirming = true;
    m_lastPublishedTag = 0;
    m_unconfirmed.clear();
    return Status::success();
}

Status AmqpConnection::publish(const QString &exchange, const QString &routingKey,
                               const QByteArray &body, int attempts)
{
    if (!m_state)
        return Status::failure(QStringLiteral("AMQP connection is closed"));
    const QByteArray exchangeBytes = exchange.toUtf8();
    const QByteArray keyBytes = routingKey.toUtf8();
    amqp_basic_properties_t props;
    props._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG;
    props.content_type = amqp_cstring_bytes("application/json");
    props.delivery_mode = AMQP_DELIVERY_PERSISTENT;
    amqp_table_entry_t header;
    if (attempts > 0) {
        header.key = amqp_cstring_bytes("x-flashsale-attempts");
        header.value.kind = AMQP_FIELD_KIND_I64;
        header.value.value.i64 = attempts;
        props._flags |= AMQP_BASIC_HEADERS_FLAG;
        props.headers = amqp_table_t {1, &header};
    }
    const int rc = amqp_basic_publish(m_state, channel, bytesOf(exchangeBytes), bytesOf(keyBytes),
                                      0, 0, &props, bytesOf(body));
    if (rc != AMQP_STATUS_OK)
        return statusFailure("publish", rc);
    if (m_confirming)
        m_unconfirmed.insert(++m_lastPublishedTag);
    return Status::success();
}

Status AmqpConnection::waitForConfirms(std::chrono::milliseconds timeout)
{
    QElapsedTimer clock;
    clock.start();
    while (!m_unconfirmed.empty()) {
        if (!m_state)
            return Status::failure(QStringLiteral("AMQP connection is closed"));
        const timeval tv = timevalOf(timeout - std::chrono::milliseconds(clock.elapsed()));
        amqp_frame_t frame;
        const int rc = amqp_simple_wait_frame_noblock(m_state, &frame, &tv);
        if (rc == AMQP_STATUS_TIMEOUT) {
            abandon();
            return Status::failure(QStringLiteral("no publisher confirm from %1 within %2 ms")
                                       .arg(m_brokerName)
                                       .arg(timeout.count()));
        }
        if (rc != AMQP_STATUS_OK) {
            const Status s = statusFailure("wait for confirm", rc);
            abandon();
            return s;
        }
        if (frame.frame_type != AMQP_FRAME_METHOD)
            continue;
        switch (frame.payload.method.id) {
        case AMQP_BASIC_ACK_METHOD: {
            const auto *m = static_cast<const amqp_basic_ack_t *>(frame.payload.method.decoded);
            if (m->multiple)
                m_unconfirmed.erase(m_unconfirmed.begin(),
                                    m_unconfirmed.upper_bound(m->delivery_tag));
            else
                m_unconfirmed.erase(m->delivery_tag);
            break;
        }
        case AMQP_BASIC_NACK_METHOD:
            abandon();
            return Status::failure(QStringLiteral("%1 refused a message (nack)").arg(m_brokerName));
        case AMQP_CHANNEL_CLOSE_METHOD:
        case AMQP_CONNECTION_CLOSE_METHOD: {
            const QString reason = describeClose(frame);
            abandon();
            return Status::failure(reason);
        }
        default:
            break;
        }
    }
    return Status::success();
}

void AmqpConnection::close()
{
    if (!m_state)
        return;
    if (m_channelOpen)
        amqp_channel_close(m_state, channel, AMQP_REPLY_SUCCESS);
    amqp_connection_close(m_state, AMQP_REPLY_SUCCESS);
    amqp_destroy_connection(m_state);
    m_state = nullptr;
    m_channelOpen = false;
    m_confirming = false;
}

void AmqpConnection::abandon()
{
    if (!m_state)
        return;
    amqp_destroy_connection(m_state);
    m_state = nullptr;
    m_channelOpen = false;
    m_confirming = false;
}

int AmqpConnection::socketDescriptor() const
{
    if (!m_state)
        return -1;
    return amqp_get_sockfd(m_state);
}

QString AmqpConnection::lastReplyError(const char *what) const
{
    const amqp_rpc_reply_t reply = amqp_get_rpc_reply(m_state);
    const QString action = QString::fromLatin1(what);
    switch (reply.reply_type) {
    case AMQP_RESPONSE_NORMAL:
        return {};
    case AMQP_RESPONSE_NONE:
        return QStringLiteral("RabbitMQ at %1: %2: no reply").arg(m_brokerName, action);
    case AMQP_RESPONSE_LIBRARY_EXCEPTION:
        return QStringLiteral("RabbitMQ at %1: %2: %3")
            .arg(m_brokerName, action, QString::fromUtf8(amqp_error_string2(reply.library_error)));
    case AMQP_RESPONSE_SERVER_EXCEPTION:
        if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
            const auto *m = static_cast<const amqp_connection_close_t *>(reply.reply.decoded);
            return QStringLiteral("RabbitMQ at %1: %2: the broker closed the connection: %3 %4")
                .arg(m_brokerName, action)
                .arg(m->reply_code)
                .arg(textOf(m->reply_text));
        }
        if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
            const auto *m = static_cast<const amqp_channel_close_t *>(reply.reply.decoded);
            return QStringLiteral("RabbitMQ at %1: %2: the broker closed the channel: %3 %4")
                .arg(m_brokerName, action)
                .arg(m->reply_code)
                .arg(textOf(m->reply_text));
        }
        return QStringLiteral("RabbitMQ at %1: %2: unexpected broker method 0x%3")
            .arg(m_brokerName, action)
            .arg(reply.reply.id, 8, 16, QLatin1Char('0'));
    }
    return QStringLiteral("RabbitMQ at %1: %2 failed").arg(m_brokerName, action);
}

Status AmqpConnection::statusFailure(const char *what, int status) const
{
    return Status::failure(QStringLiteral("RabbitMQ at %1: %2: %3")
                               .arg(m_brokerName, QString::fromLatin1(what),
                                    QString::fromUtf8(amqp_error_string2(status))));
}

QString AmqpConnection::describeClose(const amqp_frame_t &frame)
{
    if (frame.payload.method.id == AMQP_CONNECTION_CLOSE_METHOD) {
        const auto *m = static_cast<const amqp_connection_close_t *>(frame.payload.method.decoded);
        return QStringLiteral("the broker closed the connection: %1 %2")
            .arg(m->reply_code)
            .arg(textOf(m->reply_text));
    }
    if (frame.payload.method.id == AMQP_CHANNEL_CLOSE_METHOD) {
        const auto *m = static_cast<const amqp_channel_close_t *>(frame.payload.method.decoded);
        return QStringLiteral("the broker closed the channel: %1 %2")
            .arg(m->reply_code)
            .arg(textOf(m->reply_text));
    }
    return QStringLiteral("the broker closed the connection");
}

Status AmqpConnection::check(const char *what)
{
    const QString error = lastReplyError(what);
    if (error.isEmpty())
        return Status::success();
    abandon();
    return Status::failure(error);
}

} // namespace flashsale::amqp
