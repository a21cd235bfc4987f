#include "publishersession.h"

#include "threadhandoff.h"

#include "reservationcodec.h"

#include <QTimer>

#include <amqp_framing.h>

#include <algorithm>
#include <functional>
#include <unordered_map>

namespace flashsale::amqp {

using namespace std::chrono;

PublisherSession::PublisherSession(PublisherOptions options, PublisherStats &stats)
    : m_options(std::move(options))
    , m_stats(stats)
{
    m_options.maxBatch = std::max(1, m_options.maxBatch);
}

PublisherSession::~PublisherSession() = default;

void PublisherSession::enqueue(Reservation reservation, QObject *context, PublishCallback callback)
{
    Pending p {std::move(reservation), QPointer<QObject>(context), context != nullptr,
               std::move(callback), steady_clock::now()};
    ++m_stats.reservationsQueued; // settled in finish(), whichever way it goes
    bool wake = false;
    bool refused = false;
    {
        const std::lock_guard locker(m_incomingLock);
        if (m_stopped) {
            refused = true;
        } else {
            m_incoming.push_back(std::move(p));
            wake = !m_wakeupPosted;
            m_wakeupPosted = true;
        }
    }
    if (wake)
        postToThread(this, [this] { takeIncoming(); });
    if (refused) {
        std::vector<Pending> items;
        items.push_back(std::move(p));
        finish(std::move(items), Status::failure(QStringLiteral("the order publisher is stopped")));
    }
}

void PublisherSession::initialize()
{
    m_batchTimer = new QTimer(this);
    m_batchTimer->setSingleShot(true);
    m_batchTimer->setTimerType(Qt::PreciseTimer);
    connect(m_batchTimer, &QTimer::timeout, this, &PublisherSession::flush);
    m_link = std::make_unique<BrokerLink>(
        this, m_options.minBackoff, m_options.maxBackoff, milliseconds(100),
        BrokerLink::Hooks {std::bind_front(&PublisherSession::connectToBroker, this),
                           std::bind_front(&PublisherSession::readFrames, this),
                           std::bind_front(&PublisherSession::housekeeping, this)});
    connectToBroker();
}

void PublisherSession::takeIncoming()
{
    {
        const std::lock_guard locker(m_incomingLock);
        for (Pending &p : m_incoming)
            m_waiting.push_back(std::move(p));
        m_incoming.clear();
        m_wakeupPosted = false;
    }
    if (m_waiting.size() >= size_t(m_options.maxBatch))
        flush();
    else if (!m_waiting.empty() && m_batchTimer && !m_batchTimer->isActive())
        m_batchTimer->start(m_options.batchWindow);
}

void PublisherSession::flush()
{
    if (m_batchTimer)
        m_batchTimer->stop();
    if (!m_connection.isOpen())
        return; // published once connected
    while (!m_waiting.empty()) {
        const size_t n = std::min(m_waiting.size(), size_t(m_options.maxBatch));
        InFlight message;
        message.items.reserve(n);
        QList<Reservation> batch;
        batch.reserve(qsizetype(n));
        for (size_t i = 0; i < n; ++i) {
            batch.append(m_waiting.front().reservation);
            message.items.push_back(std::move(m_waiting.front()));
            m_waiting.pop_front();
        }
        const Status sent =
            m_connection.publish(m_options.topology.exchange, m_options.topology.routingKey,
                                 ReservationCodec::encode(batch));
        if (!sent) {
            for (auto it = message.items.rbegin(); it != message.items.rend(); ++it)
                m_waiting.push_front(std::move(*it));
            connectionLost(sent.error());
            return;
        }
        message.sentAt = steady_clock::now();
        m_inFlight.emplace(m_nextTag++, std::move(message));
        ++m_stats.messagesPublished;
    }
}

void PublisherSession::connectToBroker()
{
    if (m_connection.isOpen())
        return;
    {
        const std::lock_guard locker(m_incomingLock);
        if (m_stopped)
            return;
    }
    Status s =
        m_connection.open(m_options.url, m_options.connectTimeout, m_options.heartbeatSeconds);
    if (s)
        s = m_connection.declare(m_options.topology);
    if (s)
        s = m_connection.enableConfirms();
    if (!s) {
        m_connection.abandon();
        const milliseconds delay = m_link->attemptFailed();
        qCWarning(lcAmqp).noquote()
            << "order publisher:" << s.error() << "- retrying in" << delay.count() << "ms";
        Q_EMIT disconnected(s.error());
        return;
    }
    m_nextTag = 1; // delivery tags count per channel
    ++m_stats.connects;
    m_stats.connected = true;
    m_link->opened(m_connection);
    qCInfo(lcAmqp).noquote() << "order publisher connected to" << m_connection.brokerName();
    Q_EMIT connected();
    flush();
}

void PublisherSession::connectionLost(const QString &reason)
{
    bool stopped;
    {
        const std::lock_guard locker(m_incomingLock);
        stopped = m_stopped;
    }
    if (m_link)
        m_link->lost(!stopped); // its socket unwatched before the connection closes it
    m_connection.abandon();
    m_stats.connected = false;
    // Whatever was not confirmed goes out again, first and in its order: the consumer is
    // idempotent, so a message the broker did get but could not confirm costs nothing.
    std::vector<Pending> unconfirmed;
    for (auto &[tag, message] : m_inFlight) {
        for (Pending &p : message.items)
            unconfirmed.push_back(std::move(p));
        ++m_stats.republished;
    }
    m_inFlight.clear();
    for (auto it = unconfirmed.rbegin(); it != unconfirmed.rend(); ++it)
        m_waiting.push_front(std::move(*it));
    qCWarning(lcAmqp).noquote() << "order publisher: connection lost:" << reason << "-"
                                << unconfirmed.size() << "unconfirmed reservations to republish";
    Q_EMIT disconnected(reason);
}

void PublisherSession::readFrames()
{
    while (m_connection.isOpen()) {
        amqp_frame_t frame;
        const timeval zero {0, 0};
        const int rc = amqp_simple_wait_frame_noblock(m_connection.state(), &frame, &zero);
        if (rc == AMQP_STATUS_TIMEOUT)
            break;
        if (rc != AMQP_STATUS_OK) {
            connectionLost(m_connection.statusFailure("read", rc).error());
            return;
        }
        if (frame.frame_type != AMQP_FRAME_METHOD)
            continue;
        switch (frame.payload.method.id) {
        case AMQP_BASIC_ACK_METHOD: {
            const auto *m = static_cast<const amqp_basic_ack_t *>(frame.payload.method.decoded);
            confirm(m->delivery_tag, m->multiple, true);
            break;
        }
        case AMQP_BASIC_NACK_METHOD: {
            const auto *m = static_cast<const amqp_basic_nack_t *>(frame.payload.method.decoded);
            confirm(m->delivery_tag, m->multiple, false);
            break;
        }
        case AMQP_CHANNEL_CLOSE_METHOD:
        case AMQP_CONNECTION_CLOSE_METHOD:
            connectionLost(AmqpConnection::describeClose(frame));
            return;
        default:
            break;
        }
    }
    if (m_connection.isOpen())
        amqp_maybe_release_buffers(m_connection.state());
}

void PublisherSession::confirm(uint64_t tag, bool multiple, bool ack)
{
    std::vector<Pending> settled;
    int messages = 0;
    auto take = [&](std::map<uint64_t, InFlight>::iterator it) {
        for (Pending &p : it->second.items)
            settled.push_back(std::move(p));
        ++messages;
        return m_inFlight.erase(it);
    };
    if (multiple) {
        for (auto it = m_inFlight.begin(); it != m_inFlight.end() && it->first <= tag;)
            it = take(it);
    } else if (auto it = m_inFlight.find(tag); it != m_inFlight.end()) {
        take(it);
    }
    if (settled.empty())
        return;
    if (ack) {
        finish(std::move(settled), Status::success());
        return;
    }
    m_stats.nacks += messages;
    m_stats.republished += messages;
    qCWarning(lcAmqp) << "order publisher: broker nacked" << messages << "messages ("
                      << settled.size() << "reservations): publishing them again";
    for (auto it = settled.rbegin(); it != settled.rend(); ++it)
        m_waiting.push_front(std::move(*it));
    flush();
}

void PublisherSession::housekeeping()
{
    // A zero-wait read also sends heartbeats when due and notices a silent broker.
    readFrames();
    const auto now = steady_clock::now();
    if (m_connection.isOpen() && !m_inFlight.empty()
        && now - m_inFlight.begin()->second.sentAt > m_options.confirmTimeout) {
        connectionLost(QStringLiteral("no publisher confirm within %1 ms")
                           .arg(m_options.confirmTimeout.count()));
    }
    std::vector<Pending> expired;
    for (auto it = m_waiting.begin(); it != m_waiting.end();) {
        if (now - it->enqueuedAt > m_options.giveUpAfter) {
            expired.push_back(std::move(*it));
            it = m_waiting.erase(it);
        } else {
            ++it;
        }
    }
    if (!expired.empty()) {
        qCWarning(lcAmqp) << "order publisher: giving up on" << expired.size()
                          << "reservations not confirmed within" << m_options.giveUpAfter.count()
                          << "ms";
        finish(std::move(expired),
               Status::failure(QStringLiteral("the broker did not confirm within %1 ms")
                                   .arg(m_options.giveUpAfter.count())));
    }
}

void PublisherSession::shutdown()
{
    {
        const std::lock_guard locker(m_incomingLock);
        m_stopped = true;
    }
    takeIncoming();
    if (m_link)
        m_link->stop();
    flush();
    // Give what is in flight a moment to be confirmed before saying it failed.
    const auto deadline = steady_clock::now() + milliseconds(2000);
    while (m_connection.isOpen() && !m_inFlight.empty() && steady_clock::now() < deadline) {
        const timeval wait {0, 50'000};
        amqp_frame_t frame;
        const int rc = amqp_simple_wait_frame_noblock(m_connection.state(), &frame, &wait);
        if (rc == AMQP_STATUS_TIMEOUT)
            continue;
        if (rc != AMQP_STATUS_OK || frame.frame_type != AMQP_FRAME_METHOD)
            break;
        if (frame.payload.method.id == AMQP_BASIC_ACK_METHOD) {
            const auto *m = static_cast<const amqp_basic_ack_t *>(frame.payload.method.decoded);
            confirm(m->delivery_tag, m->multiple, true);
        } else if (frame.payload.method.id == AMQP_BASIC_NACK_METHOD) {
            break;
        }
    }
    std::vector<Pending> left;
    for (auto &[tag, message] : m_inFlight)
        for (Pending &p : message.items)
            left.push_back(std::move(p));
    m_inFlight.clear();
    for (Pending &p : m_waiting)
        left.push_back(std::move(p));
    m_waiting.clear();
    if (!left.empty())
        finish(std::move(left),
               Status::failure(QStringLiteral("the order publisher stopped before the broker "
                                              "confirmed")));
    // Everything this thread made goes with it, on it: the owner deletes only the shell.
    m_link.reset();
    delete m_batchTimer;
    m_batchTimer = nullptr;
    m_connection.close();
    m_stats.connected = false;
}

void PublisherSession::finish(std::vector<Pending> items, const Status &status)
{
    if (status)
        m_stats.reservationsConfirmed += qint64(items.size());
    else
        m_stats.reservationsFailed += qint64(items.size());
    // One queued call per context and outcome, not one per reservation.
    using Calls = std::vector<std::pair<PublishCallback, Reservation>>;
    std::unordered_map<QObject *, Calls> byContext;
    for (Pending &p : items) {
        if (!p.hasContext || !p.callback)
            continue;
        QObject *context = p.context.data();
        if (!context)
            continue; // the caller is gone: nobody to tell
        byContext[context].emplace_back(std::move(p.callback), std::move(p.reservation));
    }
    for (auto &[context, calls] : byContext) {
        QMetaObject::invokeMethod(
            context,
            [calls = std::move(calls), status] {
                for (const auto &[callback, reservation] : calls)
                    callback(reservation, status);
            },
            Qt::QueuedConnection);
    }
}

} // namespace flashsale::amqp
