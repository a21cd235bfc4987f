#include "consumersession.h"

#include <amqp_framing.h>

#include <functional>

namespace flashsale::amqp {

using namespace std::chrono;

namespace {

// The failed tries recorded in the message (our header; a quorum queue's own count too).
int recordedFailures(const amqp_basic_properties_t &properties)
{
    if (!(properties._flags & AMQP_BASIC_HEADERS_FLAG))
        return 0;
    int failures = 0;
    for (int i = 0; i < properties.headers.num_entries; ++i) {
        const amqp_table_entry_t &entry = properties.headers.entries[i];
        const QByteArray key(static_cast<const char *>(entry.key.bytes), qsizetype(entry.key.len));
        if (key != "x-flashsale-attempts" && key != "x-delivery-count")
            continue;
        qint64 value = 0;
        switch (entry.value.kind) {
        case AMQP_FIELD_KIND_I8:
            value = entry.value.value.i8;
            break;
        case AMQP_FIELD_KIND_U8:
            value = entry.value.value.u8;
            break;
        case AMQP_FIELD_KIND_I16:
            value = entry.value.value.i16;
            break;
        case AMQP_FIELD_KIND_U16:
            value = entry.value.value.u16;
            break;
        case AMQP_FIELD_KIND_I32:
            value = entry.value.value.i32;
            break;
        case AMQP_FIELD_KIND_U32:
            value = entry.value.value.u32;
            break;
        case AMQP_FIELD_KIND_I64:
            value = entry.value.value.i64;
            break;
        case AMQP_FIELD_KIND_U64:
            value = qint64(entry.value.value.u64);
            break;
        default:
            break;
        }
        failures = std::max(failures, int(std::clamp<qint64>(value, 0, 1'000'000)));
    }
    return failures;
}

} // namespace

ConsumerSession::ConsumerSession(ConsumerOptions options, ConsumerStats &stats)
    : m_options(std::move(options))
    , m_stats(stats)
{
    if (m_options.queue.isEmpty())
        m_options.queue = m_options.topology.queue;
    m_options.prefetch = std::clamp(m_options.prefetch, 1, 65535);
    m_options.maxAttempts = std::max(1, m_options.maxAttempts);
}

ConsumerSession::~ConsumerSession() = default;

void ConsumerSession::initialize()
{
    // Housekeeping: a zero-wait read sends heartbeats when due and notices a silent broker.
    m_link = std::make_unique<BrokerLink>(
        this, m_options.minBackoff, m_options.maxBackoff, seconds(1),
        BrokerLink::Hooks {std::bind_front(&ConsumerSession::connectToBroker, this),
                           std::bind_front(&ConsumerSession::readDeliveries, this),
                           std::bind_front(&ConsumerSession::readDeliveries, this)});
    connectToBroker();
}

void ConsumerSession::connectToBroker()
{
    if (m_stopped || m_connection.isOpen())
        return;
    Status s =
        m_connection.open(m_options.url, m_options.connectTimeout, m_options.heartbeatSeconds);
    if (s)
        s = m_connection.declare(m_options.topology);
    if (s) {
        amqp_basic_qos(m_connection.state(), AmqpConnection::channel, 0,
                       uint16_t(m_options.prefetch), 0);
        if (const QString e = m_connection.lastReplyError("basic.qos"); !e.isEmpty())
            s = Status::failure(e);
    }
    if (s) {
        const QByteArray queue = m_options.queue.toUtf8();
        amqp_basic_consume(
            m_connection.state(), AmqpConnection::channel,
            amqp_bytes_t {size_t(queue.size()), const_cast<char *>(queue.constData())},
            amqp_empty_bytes, 0, 0, 0, amqp_empty_table);
        if (const QString e = m_connection.lastReplyError("basic.consume"); !e.isEmpty())
            s = Status::failure(e);
    }
    if (!s) {
        m_connection.abandon();
        const milliseconds delay = m_link->attemptFailed();
        qCWarning(lcAmqp).noquote() << "consumer of" << m_options.queue << ":" << s.error()
                                    << "- retrying in" << delay.count() << "ms";
        Q_EMIT disconnected(s.error());
        return;
    }
    ++m_generation;
    m_unsettled.clear();
    ++m_stats.connects;
    m_stats.connected = true;
    m_link->opened(m_connection);
    qCInfo(lcAmqp).noquote() << "consuming" << m_options.queue << "from"
                             << m_connection.brokerName() << "prefetch" << m_options.prefetch;
    Q_EMIT connected();
    readDeliveries();
}

void ConsumerSession::connectionLost(const QString &reason)
{
    if (m_link)
        m_link->lost(!m_stopped); // its socket unwatched before the connection closes it
    m_connection.abandon();
    m_unsettled.clear(); // the broker gives them to a consumer again
    m_stats.connected = false;
    qCWarning(lcAmqp).noquote() << "consumer of" << m_options.queue
                                << ": connection lost:" << reason;
    Q_EMIT disconnected(reason);
}

void ConsumerSession::readDeliveries()
{
    QList<Delivery> batch;
    QList<Delivery> redelivered;
    const timeval zero {0, 0};
    while (m_connection.isOpen()) {
        amqp_connection_state_t state = m_connection.state();
        amqp_maybe_release_buffers(state);
        amqp_envelope_t envelope;
        const amqp_rpc_reply_t reply = amqp_consume_message(state, &envelope, &zero, 0);
        if (reply.reply_type == AMQP_RESPONSE_NORMAL) {
            Delivery d;
            d.tag = envelope.delivery_tag;
            d.generation = m_generation;
            d.body = QByteArray(static_cast<const char *>(envelope.message.body.bytes),
                                qsizetype(envelope.message.body.len));
            d.attempt = recordedFailures(envelope.message.properties) + 1;
            const bool again = envelope.redelivered;
            amqp_destroy_envelope(&envelope);
            m_unsettled.insert(d.tag);
            ++m_stats.received;
            if (again) {
                ++m_stats.redelivered;
                redelivered.append(std::move(d));
            } else {
                batch.append(std::move(d));
            }
            continue;
        }
        if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION
            && reply.library_error == AMQP_STATUS_TIMEOUT)
            break;
        if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION
            && reply.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
            amqp_frame_t frame;
            const int rc = amqp_simple_wait_frame_noblock(state, &frame, &zero);
            if (rc == AMQP_STATUS_TIMEOUT)
                break;
            if (rc != AMQP_STATUS_OK) {
                connectionLost(m_connection.statusFailure("read", rc).error());
                return;
            }
            if (frame.frame_type != AMQP_FRAME_METHOD)
                continue;
            const amqp_method_number_t id = frame.payload.method.id;
            if (id == AMQP_CHANNEL_CLOSE_METHOD || id == AMQP_CONNECTION_CLOSE_METHOD) {
                connectionLost(AmqpConnection::describeClose(frame));
                return;
            }
            if (id == AMQP_BASIC_CANCEL_METHOD) {
                connectionLost(QStringLiteral("the broker cancelled the consumer of %1 "
                                              "(queue deleted?)")
                                   .arg(m_options.queue));
                return;
            }
            continue;
        }
        connectionLost(reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION
                           ? m_connection.statusFailure("consume", reply.library_error).error()
                           : QStringLiteral("unexpected reply while consuming"));
        return;
    }
    // A redelivery means a try ended without a verdict (a consumer died): count it in the
    // message itself, so a message that kills its consumer every time still reaches the
    // dead-letter queue after maxAttempts.
    if (!redelivered.isEmpty())
        requeueCounted(redelivered);
    if (!batch.isEmpty())
        Q_EMIT received(batch);
}

bool ConsumerSession::owns(quint64 generation, quint64 tag) const
{
    return generation == m_generation && m_connection.isOpen() && m_unsettled.count(tag) > 0;
}

bool ConsumerSession::settled(int rc, const char *what)
{
    if (rc == AMQP_STATUS_OK)
        return true;
    connectionLost(m_connection.statusFailure(what, rc).error());
    return false;
}

void ConsumerSession::ack(quint64 generation, const QList<quint64> &tags)
{
    std::set<quint64> mine;
    for (quint64 tag : tags) {
        if (owns(generation, tag))
            mine.insert(tag);
    }
    if (mine.empty())
        return;
    // The longest run at the front of what is outstanding goes in one ack with `multiple`.
    auto outstanding = m_unsettled.begin();
    auto wanted = mine.begin();
    quint64 last = 0;
    int run = 0;
    while (outstanding != m_unsettled.end() && wanted != mine.end() && *outstanding == *wanted) {
        last = *outstanding;
        ++outstanding;
        ++wanted;
        ++run;
    }
    if (run >= 2) {
        if (!settled(amqp_basic_ack(m_connection.state(), AmqpConnection::channel, last, 1), "ack"))
            return;
        m_unsettled.erase(m_unsettled.begin(), outstanding);
        m_stats.acked += run;
    } else {
        wanted = mine.begin();
    }
    for (; wanted != mine.end(); ++wanted) {
        if (!settled(amqp_basic_ack(m_connection.state(), AmqpConnection::channel, *wanted, 0),
                     "ack"))
            return;
        m_unsettled.erase(*wanted);
        ++m_stats.acked;
    }
}

void ConsumerSession::retry(const QList<Delivery> &deliveries)
{
    requeueCounted(deliveries);
}

void ConsumerSession::deadLetter(quint64 generation, const QList<quint64> &tags)
{
    for (quint64 tag : tags) {
        if (!owns(generation, tag))
            continue;
        if (!settled(amqp_basic_reject(m_connection.state(), AmqpConnection::channel, tag, 0),
                     "reject"))
            return;
        m_unsettled.erase(tag);
        ++m_stats.deadLettered;
    }
}

void ConsumerSession::requeueCounted(const QList<Delivery> &deliveries)
{
    QList<quint64> dead;
    QList<Delivery> again;
    for (const Delivery &d : deliveries) {
        if (!owns(d.generation, d.tag))
            continue;
        // This try failed (or ended unseen): d.attempt tries have now failed.
        if (d.attempt >= m_options.maxAttempts)
            dead.append(d.tag);
        else
            again.append(d);
    }
    if (!dead.isEmpty()) {
        qCWarning(lcAmqp).noquote()
            << "consumer of" << m_options.queue << ":" << dead.size() << "messages failed"
            << m_options.maxAttempts << "times: to the dead-letter queue";
        deadLetter(m_generation, dead);
    }
    if (again.isEmpty())
        return;
    // The copy goes to the back of the same queue through a connection of its own with
    // confirms; only once the broker has it is the original acked. A fresh connection each
    // time: this path is rare and an idle one would need heartbeats.
    Status s = m_retryConnection.open(m_options.url, m_options.connectTimeout, 0);
    if (s)
        s = m_retryConnection.enableConfirms();
    for (qsizetype i = 0; s && i < again.size(); ++i)
        s = m_retryConnection.publish(QString(), m_options.queue, again.at(i).body,
                                      again.at(i).attempt);
    if (s)
        s = m_retryConnection.waitForConfirms(m_options.connectTimeout);
    m_retryConnection.close();
    for (const Delivery &d : std::as_const(again)) {
        if (!owns(d.generation, d.tag))
            continue;
        const int rc = s
            ? amqp_basic_ack(m_connection.state(), AmqpConnection::channel, d.tag, 0)
            : amqp_basic_nack(m_connection.state(), AmqpConnection::channel, d.tag, 0, 1);
        if (!settled(rc, "settle a retried message"))
            return;
        m_unsettled.erase(d.tag);
        if (s)
            ++m_stats.retried;
    }
    if (!s)
        qCWarning(lcAmqp).noquote() << "consumer of" << m_options.queue
                                    << ": cannot put messages back for another try:" << s.error()
                                    << "- returned them to the broker as they were";
}

void ConsumerSession::shutdown()
{
    m_stopped = true;
    // Everything this thread made goes with it, on it: the owner deletes only the shell.
    m_link.reset();
    m_connection.close(); // unacknowledged messages go back to the queue
    m_unsettled.clear();
    m_stats.connected = false;
}

} // namespace flashsale::amqp
