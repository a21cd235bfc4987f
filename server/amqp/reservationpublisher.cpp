#include "reservationpublisher.h"

#include "threadhandoff.h"

namespace flashsale::amqp {

ReservationPublisher::ReservationPublisher(PublisherOptions options, QObject *parent)
    : QObject(parent)
    , m_session(new PublisherSession(std::move(options), m_stats))
{
    m_thread.setObjectName(QStringLiteral("amqp-publisher"));
    connect(m_session, &PublisherSession::connected, this, &ReservationPublisher::connected);
    connect(m_session, &PublisherSession::disconnected, this, &ReservationPublisher::disconnected);
}

ReservationPublisher::~ReservationPublisher()
{
    stop();
    delete m_session;
}

void ReservationPublisher::start()
{
    if (m_started)
        return;
    m_started = true;
    m_session->moveToThread(&m_thread);
    // The first call on the thread, before its event loop runs.
    connect(&m_thread, &QThread::started, m_session, &PublisherSession::initialize);
    m_thread.start();
}

void ReservationPublisher::stop()
{
    if (m_started && m_thread.isRunning()) {
        // On its thread: its connection, notifier and timers are that thread's.
        runOnThreadAndWait(m_session, [this] { m_session->shutdown(); });
        m_thread.quit();
        m_thread.wait();
    } else if (!m_started) {
        m_started = true; // never started: fail what was queued, in this thread
        m_session->shutdown();
    }
}

void ReservationPublisher::publish(Reservation reservation, QObject *context,
                                   PublishCallback callback)
{
    m_session->enqueue(std::move(reservation), context, std::move(callback));
}

} // namespace flashsale::amqp
