#include "amqpconsumer.h"

#include "threadhandoff.h"

#include <QHash>

namespace flashsale::amqp {

namespace {

// What goes to the session's thread owns its data: a shared copy whose last reference this
// thread dropped after the session's thread read it would be freed here behind Qt's
// uninstrumented reference count (ThreadSanitizer: a race).
QList<quint64> ownCopy(const QList<quint64> &tags)
{
    return QList<quint64>(tags.cbegin(), tags.cend());
}

QList<Delivery> ownCopy(const QList<Delivery> &deliveries)
{
    QList<Delivery> copy;
    copy.reserve(deliveries.size());
    for (const Delivery &d : deliveries)
        copy.append(
            {d.tag, d.generation, QByteArray(d.body.constData(), d.body.size()), d.attempt});
    return copy;
}

QHash<quint64, QList<quint64>> tagsByGeneration(const QList<Delivery> &deliveries)
{
    QHash<quint64, QList<quint64>> result;
    for (const Delivery &d : deliveries)
        result[d.generation].append(d.tag);
    return result;
}

} // namespace

AmqpConsumer::AmqpConsumer(ConsumerOptions options, QObject *parent)
    : QObject(parent)
    , m_session(new ConsumerSession(std::move(options), m_stats))
{
    m_thread.setObjectName(QStringLiteral("amqp-consumer"));
    // Direct: the signal leaves from the consumer's thread, so each receiver's own thread
    // decides how it is delivered.
    connect(m_session, &ConsumerSession::received, this, &AmqpConsumer::received,
            Qt::DirectConnection);
    connect(m_session, &ConsumerSession::connected, this, &AmqpConsumer::connected);
    connect(m_session, &ConsumerSession::disconnected, this, &AmqpConsumer::disconnected);
}

AmqpConsumer::~AmqpConsumer()
{
    stop();
    delete m_session;
}

void AmqpConsumer::start()
{
    if (m_started)
        return;
    m_started = true;
    m_session->moveToThread(&m_thread);
    // The first call on the thread, before its event loop runs.
    connect(&m_thread, &QThread::started, m_session, &ConsumerSession::initialize);
    m_thread.start();
}

void AmqpConsumer::stop()
{
    if (!m_thread.isRunning())
        return;
    // On its thread: its connection, notifier and timers are that thread's.
    runOnThreadAndWait(m_session, [this] { m_session->shutdown(); });
    m_thread.quit();
    m_thread.wait();
}

template<typename F>
void AmqpConsumer::onSession(F &&f)
{
    postToThread(m_session, std::forward<F>(f));
}

void AmqpConsumer::ack(const QList<Delivery> &deliveries)
{
    const auto groups = tagsByGeneration(deliveries);
    for (auto it = groups.cbegin(); it != groups.cend(); ++it) {
        onSession([session = m_session, generation = it.key(), tags = ownCopy(it.value())] {
            session->ack(generation, tags);
        });
    }
}

void AmqpConsumer::retry(const QList<Delivery> &deliveries)
{
    onSession(
        [session = m_session, deliveries = ownCopy(deliveries)] { session->retry(deliveries); });
}

void AmqpConsumer::deadLetter(const QList<Delivery> &deliveries)
{
    const auto groups = tagsByGeneration(deliveries);
    for (auto it = groups.cbegin(); it != groups.cend(); ++it) {
        onSession([session = m_session, generation = it.key(), tags = ownCopy(it.value())] {
            session->deadLetter(generation, tags);
        });
    }
}

} // namespace flashsale::amqp
