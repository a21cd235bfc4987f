#pragma once

#include "amqpconnection.h"
#include "brokerlink.h"
#include "consumeroptions.h"
#include "delivery.h"

#include <QObject>

#include <atomic>
#include <memory>
#include <set>

namespace flashsale::amqp {

/// Counters of an AmqpConsumer, for tests, health and metrics.
struct ConsumerStats
{
    std::atomic<qint64> received {0}; ///< messages handed out
    std::atomic<qint64> acked {0}; ///< messages acknowledged
    std::atomic<qint64> retried {0}; ///< messages sent to the back of the queue for another try
    std::atomic<qint64> redelivered {0}; ///< redeliveries seen (counted as a failed try)
    std::atomic<qint64> deadLettered {0}; ///< messages sent to the dead-letter queue
    std::atomic<qint64> connects {0}; ///< successful connects (the first one included)
    std::atomic<bool> connected {false}; ///< whether the connection is up now
};

/// The consumer's thread side: owns the consuming connection (and a second one, with
/// confirms, to put messages back for another try), reads deliveries as they arrive and
/// settles them. Lives on the AmqpConsumer's thread.
class ConsumerSession : public QObject
{
    Q_OBJECT
public:
    ConsumerSession(ConsumerOptions options, ConsumerStats &stats);
    ~ConsumerSession() override;

    Q_INVOKABLE void initialize();
    Q_INVOKABLE void shutdown();
    void ack(quint64 generation, const QList<quint64> &tags);
    void retry(const QList<Delivery> &deliveries);
    void deadLetter(quint64 generation, const QList<quint64> &tags);

Q_SIGNALS:
    void received(const QList<flashsale::amqp::Delivery> &batch);
    void connected();
    void disconnected(const QString &reason);

private:
    void connectToBroker();
    void connectionLost(const QString &reason);
    void readDeliveries();
    /// Puts \a deliveries at the back of the queue with their attempt count raised, or in
    /// the dead-letter queue once they had maxAttempts; settles the originals.
    void requeueCounted(const QList<Delivery> &deliveries);
    bool owns(quint64 generation, quint64 tag) const;
    bool settled(int rc, const char *what);

    ConsumerOptions m_options;
    ConsumerStats &m_stats;
    AmqpConnection m_connection;
    AmqpConnection m_retryConnection;
    std::unique_ptr<BrokerLink> m_link; ///< reconnects and reads; made in initialize()
    quint64 m_generation = 0;
    std::set<quint64> m_unsettled; ///< delivery tags handed out and not yet settled
    bool m_stopped = false;
};

} // namespace flashsale::amqp
