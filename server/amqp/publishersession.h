#pragma once

#include "amqpconnection.h"
#include "brokerlink.h"
#include "publisheroptions.h"
#include "reservation.h"

#include <QObject>
#include <QPointer>

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

class QTimer;

namespace flashsale::amqp {

/// What the publisher tells the caller about one reservation: Status::success() once the
/// broker confirmed the message carrying it, else why it gave up.
using PublishCallback = std::function<void(const Reservation &, const Status &)>;

/// Counters of a ReservationPublisher, for tests, health and metrics.
struct PublisherStats
{
    std::atomic<qint64> reservationsQueued {0}; ///< reservations taken by publish()
    std::atomic<qint64> messagesPublished {0}; ///< basic.publish calls (including republishes)
    std::atomic<qint64> reservationsConfirmed {0}; ///< reservations whose message was acked
    std::atomic<qint64> reservationsFailed {0}; ///< reservations given up (callback with failure)
    std::atomic<qint64> nacks {0}; ///< messages the broker nacked
    std::atomic<qint64> republished {0}; ///< messages sent again (nack, timeout, lost connection)
    std::atomic<qint64> connects {0}; ///< successful connects (the first one included)
    std::atomic<bool> connected {false}; ///< whether the connection is up now
};

/// The publisher's thread side: owns the rabbitmq-c connection, batches reservations into
/// messages, tracks confirms per delivery tag, republishes and reconnects. Lives on the
/// ReservationPublisher's thread; only enqueue() may be called from other threads.
class PublisherSession : public QObject
{
    Q_OBJECT
public:
    PublisherSession(PublisherOptions options, PublisherStats &stats);
    ~PublisherSession() override;

    /// Thread-safe: queues \a reservation; \a callback runs in \a context's thread.
    void enqueue(Reservation reservation, QObject *context, PublishCallback callback);

    /// Runs on the session thread: first connect.
    Q_INVOKABLE void initialize();
    /// Runs on the session thread: closes the connection and fails what is left.
    Q_INVOKABLE void shutdown();

Q_SIGNALS:
    void connected();
    void disconnected(const QString &reason);

private:
    struct Pending
    {
        Reservation reservation;
        QPointer<QObject> context;
        bool hasContext = false;
        PublishCallback callback;
        std::chrono::steady_clock::time_point enqueuedAt;
    };
    struct InFlight
    {
        std::vector<Pending> items;
        std::chrono::steady_clock::time_point sentAt;
    };

    void takeIncoming();
    void flush();
    void connectToBroker();
    void connectionLost(const QString &reason);
    void readFrames();
    void confirm(uint64_t tag, bool multiple, bool ack);
    void housekeeping();
    void finish(std::vector<Pending> items, const Status &status);

    PublisherOptions m_options;
    PublisherStats &m_stats;
    AmqpConnection m_connection;
    QTimer *m_batchTimer = nullptr;
    std::unique_ptr<BrokerLink> m_link; ///< reconnects and reads; made in initialize()
    uint64_t m_nextTag = 1;
    std::deque<Pending> m_waiting; ///< not yet published (or to publish again), oldest first
    std::map<uint64_t, InFlight> m_inFlight; ///< published, awaiting confirm, by delivery tag

    std::mutex m_incomingLock; ///< guards the three members below
    std::vector<Pending> m_incoming;
    bool m_wakeupPosted = false;
    bool m_stopped = false;
};

} // namespace flashsale::amqp
