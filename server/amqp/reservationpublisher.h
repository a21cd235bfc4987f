#pragma once

#include "publisheroptions.h"
#include "publishersession.h"
#include "reservation.h"

#include <QObject>
#include <QThread>

namespace flashsale::amqp {

/// Publishes reservations to RabbitMQ as persistent order messages with publisher
/// confirms, on its own thread and connection. Reservations queued within
/// PublisherOptions::batchWindow share one message. A nack, a missing confirm or a lost
/// connection publishes again (reconnecting with backoff), so a reservation may reach the
/// queue twice, never zero times while the publisher runs; the consumer is idempotent.
///
/// Use from any thread:
///
///     publisher->publish(reservation, this, [](const Reservation &r, const Status &s) {
///         // runs in this object's thread; s.ok(): the broker has the message
///     });
class ReservationPublisher : public QObject
{
    Q_OBJECT
public:
    explicit ReservationPublisher(PublisherOptions options, QObject *parent = nullptr);
    /// Stops (see stop()).
    ~ReservationPublisher() override;

    /// Starts the thread and connects; reservations published before are kept until then.
    void start();
    /// Publishes what is queued, waits up to 2 s for confirms, then fails what is left
    /// and joins the thread. publish() after stop() fails at once.
    void stop();

    /// Thread-safe. Queues \a reservation; \a callback is called once, in \a context's
    /// thread, with success when the broker confirmed the message carrying it, or with the
    /// reason it gave up (not confirmed within giveUpAfter, or stopped). A failure means
    /// "not known to be queued": the reservation stays pending in Redis and the reconciler
    /// publishes it again. No call if \a context is null or destroyed by then.
    void publish(Reservation reservation, QObject *context, PublishCallback callback);

    /// Counters, readable from any thread.
    const PublisherStats &stats() const { return m_stats; }
    bool isConnected() const { return m_stats.connected; }
    /// Reservations taken and not yet settled (confirmed or given up), from any thread.
    qint64 backlog() const
    {
        return m_stats.reservationsQueued - m_stats.reservationsConfirmed
            - m_stats.reservationsFailed;
    }

Q_SIGNALS:
    /// The connection is up (again) and the topology declared.
    void connected();
    /// The connection failed or was lost; it is being retried with backoff.
    void disconnected(const QString &reason);

private:
    PublisherStats m_stats;
    QThread m_thread;
    PublisherSession *m_session = nullptr;
    bool m_started = false;
};

} // namespace flashsale::amqp
