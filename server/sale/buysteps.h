#pragma once

#include "buydesk.h"
#include "salescripts.h"

#include <QPointer>

namespace flashsale::amqp {
class ReservationPublisher;
}

namespace flashsale::sale {

/// The reserve step over this thread's SaleScripts; replies come back on \a context's
/// thread (and none after \a context is gone). The reserves asked for while the thread is
/// busy (a front's mailbox drained at once) go out together once it is done: one script
/// call per product for up to maxBatch shoppers, which costs Redis a fraction of one call
/// each. A lone reserve goes out as soon as the thread is idle, as before.
class ScriptReserveStep : public ReserveStep
{
public:
    static constexpr int maxBatch = 64; ///< shoppers in one script call at most

    ScriptReserveStep(redis::SaleScripts scripts, QObject *context)
        : m_scripts(std::move(scripts))
        , m_context(context)
    { }

    void reserve(qint64 goodsId, qint64 userId, const redis::AddressWindow &address,
                 std::function<void(const redis::ReserveOutcome &)> done) override;

    /// Script calls made so far (for tests and figures: reserves / calls is the batching).
    qint64 scriptCalls() const { return m_scriptCalls; }

private:
    struct Waiting
    {
        redis::ReserveAsk ask;
        std::function<void(const redis::ReserveOutcome &)> done;
    };
    void flush();

    redis::SaleScripts m_scripts;
    QObject *m_context = nullptr;
    QHash<qint64, QList<Waiting>> m_waiting; ///< by product, in arrival order
    bool m_flushQueued = false;
    qint64 m_scriptCalls = 0;
};

/// The order queue over the RabbitMQ publisher: a confirm (or its failure, which leaves the
/// reservation to the reconciler) is reported to the RabbitMQ breaker.
class PublisherOrderQueue : public OrderQueue
{
public:
    PublisherOrderQueue(amqp::ReservationPublisher *publisher, CircuitBreaker *rabbitBreaker,
                        QObject *context)
        : m_publisher(publisher)
        , m_breaker(rabbitBreaker)
        , m_context(context)
    { }

    qint64 backlog() const override;
    void publish(const amqp::Reservation &reservation) override;

private:
    amqp::ReservationPublisher *m_publisher = nullptr;
    CircuitBreaker *m_breaker = nullptr;
    QObject *m_context = nullptr; ///< the confirms' callbacks run on its thread
};

} // namespace flashsale::sale
