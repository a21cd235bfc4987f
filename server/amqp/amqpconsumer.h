#pragma once

#include "consumeroptions.h"
#include "consumersession.h"
#include "delivery.h"

#include <QObject>
#include <QThread>

namespace flashsale::amqp {

/// Consumes a queue with manual acknowledgement on its own thread and connection
/// (basic.qos prefetch). Every delivery must be settled once: ack(), retry() (another try
/// at the back of the queue, or the dead-letter queue after maxAttempts) or deadLetter().
/// A redelivered message (its consumer died before settling it) counts as a failed try.
/// After a reconnect, settling a delivery of the old connection is a no-op: the broker
/// delivers it again.
class AmqpConsumer : public QObject
{
    Q_OBJECT
public:
    explicit AmqpConsumer(ConsumerOptions options, QObject *parent = nullptr);
    /// Stops (see stop()).
    ~AmqpConsumer() override;

    /// Starts the thread and connects (retrying with backoff).
    void start();
    /// Closes the connection (what is not acked goes back to the queue) and joins the thread.
    void stop();

    /// Thread-safe: acknowledges \a deliveries (runs of consecutive tags in one `multiple` ack).
    void ack(const QList<Delivery> &deliveries);
    /// Thread-safe: gives \a deliveries another try, or dead-letters those that had maxAttempts.
    void retry(const QList<Delivery> &deliveries);
    /// Thread-safe: sends \a deliveries to the dead-letter queue now (poison).
    void deadLetter(const QList<Delivery> &deliveries);

    const ConsumerStats &stats() const { return m_stats; }
    bool isConnected() const { return m_stats.connected; }

Q_SIGNALS:
    /// New deliveries, emitted on the consumer's thread: receivers in other threads get it
    /// queued, a Qt::DirectConnection handles it on the consumer's thread.
    void received(const QList<flashsale::amqp::Delivery> &batch);
    /// Consuming (again).
    void connected();
    /// The connection failed or was lost; it is being retried with backoff.
    void disconnected(const QString &reason);

private:
    template<typename F>
    void onSession(F &&f);

    ConsumerStats m_stats;
    QThread m_thread;
    ConsumerSession *m_session = nullptr;
    bool m_started = false;
};

} // namespace flashsale::amqp
