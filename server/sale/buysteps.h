#pragma once

#include "buydesk.h"
#include "salescripts.h"

#include <QPointer>

namespace flashsale::amqp {
class ReservationPublisher;
}

namespace flashsale::sale {

/// The reserve step over this thread's SaleScripts; replies come back on \a context's
/// thread (and none after \a context is gone).
class ScriptReserveStep : public ReserveStep
{
public:
    ScriptReserveStep(redis::SaleScripts scripts, QObject *context)
        : m_scripts(std::move(scripts))
        , m_context(context)
    { }

    void reserve(qint64 goodsId, qint64 userId, const redis::AddressWindow &address,
                 std::function<void(const redis::ReserveOutcome &)> done) override
    {
        m_scripts.reserve(goodsId, userId, address, m_context, std::move(done));
    }

private:
    redis::SaleScripts m_scripts;
    QObject *m_context = nullptr;
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
