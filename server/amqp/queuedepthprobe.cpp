#include "queuedepthprobe.h"

#include "amqpconnection.h"

#include <amqp_framing.h>

#include <QDateTime>
#include <QTimer>

#include <optional>

namespace flashsale::amqp {

/// The probe's connection and timer, on the probe's thread.
class QueueDepthSession : public QObject
{
public:
    QueueDepthSession(QueueDepthProbe &probe, AmqpUrl url, AmqpTopology topology)
        : m_probe(probe)
        , m_url(std::move(url))
        , m_topology(std::move(topology))
        , m_timer(this) // a child, so it moves to the probe's thread with the session
    {
        connect(&m_timer, &QTimer::timeout, this, &QueueDepthSession::probe);
    }

    void start(int intervalMs)
    {
        probe();
        m_timer.start(intervalMs);
    }

private:
    /// A passive declare: the queue's counts, or a channel error if it does not exist.
    std::optional<std::pair<qint64, qint64>> count(const QString &queue)
    {
        const QByteArray name = queue.toUtf8();
        const amqp_queue_declare_ok_t *ok = amqp_queue_declare(
            m_connection.state(), AmqpConnection::channel,
            amqp_bytes_t {size_t(name.size()), const_cast<char *>(name.constData())}, 1, 0, 0, 0,
            amqp_empty_table);
        if (!ok) {
            m_error = m_connection.lastReplyError("passive declare");
            m_connection.abandon();
            return std::nullopt;
        }
        return std::pair<qint64, qint64>(ok->message_count, ok->consumer_count);
    }

    void probe()
    {
        if (!m_connection.isOpen()) {
            if (const Status opened = m_connection.open(m_url, std::chrono::milliseconds(2000), 0);
                !opened) {
                failed(opened.error());
                return;
            }
        }
        const auto orders = count(m_topology.queue);
        const auto dead = orders ? count(m_topology.deadLetterQueue) : std::nullopt;
        if (!orders || !dead) {
            failed(m_error);
            return;
        }
        if (std::exchange(m_warned, false))
            qCInfo(lcAmqp).noquote() << "queue depth readable again at" << m_url.displayName();
        m_failingSinceMs = 0;
        m_probe.store(
            {orders->first, orders->second, dead->first, QDateTime::currentMSecsSinceEpoch()});
    }

    void failed(const QString &error)
    {
        // Once per spell, and only once the figure has gone stale: at start-up the queue
        // may not be declared yet by the publisher.
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (m_failingSinceMs == 0)
            m_failingSinceMs = now;
        if (now - m_failingSinceMs >= 5000 && !std::exchange(m_warned, true))
            qCWarning(lcAmqp).noquote()
                << "cannot read the orders queue's depth (the figure is stale):" << error;
    }

    QueueDepthProbe &m_probe;
    AmqpUrl m_url;
    AmqpTopology m_topology;
    AmqpConnection m_connection;
    QTimer m_timer;
    QString m_error;
    qint64 m_failingSinceMs = 0; ///< when the current spell of failures began; 0: none
    bool m_warned = false; ///< the current spell was logged
};

QueueDepthProbe::QueueDepthProbe(AmqpUrl url, AmqpTopology topology, QObject *parent)
    : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("queue-depth"));
    m_session = new QueueDepthSession(*this, std::move(url), std::move(topology));
    m_session->moveToThread(&m_thread);
}

QueueDepthProbe::~QueueDepthProbe()
{
    if (m_thread.isRunning()) {
        // Deleted on its own thread: its timer and connection live there.
        QMetaObject::invokeMethod(
            m_session, [session = m_session] { delete session; }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    } else {
        delete m_session;
    }
}

void QueueDepthProbe::start(int intervalMs)
{
    m_thread.start();
    QMetaObject::invokeMethod(
        m_session, [session = m_session, intervalMs] { session->start(intervalMs); },
        Qt::QueuedConnection);
}

QueueDepthProbe::Reading QueueDepthProbe::latest() const
{
    return {m_messages.load(), m_consumers.load(), m_deadLetters.load(), m_atMs.load()};
}

void QueueDepthProbe::store(const Reading &reading)
{
    m_messages = reading.messages;
    m_consumers = reading.consumers;
    m_deadLetters = reading.deadLetters;
    m_atMs = reading.atMs;
}

} // namespace flashsale::amqp
