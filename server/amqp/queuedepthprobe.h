#pragma once

#include "amqptopology.h"
#include "amqpurl.h"

#include <QObject>
#include <QThread>

#include <atomic>
#include <memory>

namespace flashsale::amqp {

class QueueDepthSession;

/// RabbitMQ's own message counts of the orders queue and the dead-letter queue, read by a
/// passive queue.declare every second on a connection and thread of its own (a blocking
/// rabbitmq-c call never runs on an HTTP thread). Readable from any thread.
class QueueDepthProbe : public QObject
{
    Q_OBJECT
public:
    /// The latest reading.
    struct Reading
    {
        qint64 messages = 0; ///< ready messages in the orders queue
        qint64 consumers = 0; ///< consumers on the orders queue
        qint64 deadLetters = 0; ///< messages in the dead-letter queue
        qint64 atMs = 0; ///< when it was read (ms since the epoch); 0: never
    };

    QueueDepthProbe(AmqpUrl url, AmqpTopology topology, QObject *parent = nullptr);
    /// Stops the thread.
    ~QueueDepthProbe() override;

    /// Reads now and then every \a intervalMs.
    void start(int intervalMs = 1000);
    Reading latest() const;

private:
    friend class QueueDepthSession;
    void store(const Reading &reading);

    QThread m_thread;
    QueueDepthSession *m_session = nullptr; ///< on m_thread
    std::atomic<qint64> m_messages = 0;
    std::atomic<qint64> m_consumers = 0;
    std::atomic<qint64> m_deadLetters = 0;
    std::atomic<qint64> m_atMs = 0;
};

} // namespace flashsale::amqp
