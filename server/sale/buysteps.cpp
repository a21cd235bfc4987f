#include "buysteps.h"

#include "circuitbreaker.h"
#include "reservationpublisher.h"

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcBuy)

namespace flashsale::sale {

void ScriptReserveStep::reserve(qint64 goodsId, qint64 userId, const redis::AddressWindow &address,
                                std::function<void(const redis::ReserveOutcome &)> done)
{
    m_waiting[goodsId].append({redis::ReserveAsk {userId, address}, std::move(done)});
    if (m_flushQueued)
        return;
    m_flushQueued = true;
    // After what the thread is doing now: the rest of the mailbox joins this batch.
    QMetaObject::invokeMethod(
        m_context, [this] { flush(); }, Qt::QueuedConnection);
}

void ScriptReserveStep::flush()
{
    m_flushQueued = false;
    const QHash<qint64, QList<Waiting>> waiting = std::exchange(m_waiting, {});
    for (auto product = waiting.cbegin(); product != waiting.cend(); ++product) {
        const qint64 goodsId = product.key();
        const QList<Waiting> &all = product.value();
        for (qsizetype first = 0; first < all.size(); first += maxBatch) {
            const QList<Waiting> batch = all.mid(first, maxBatch);
            ++m_scriptCalls;
            if (batch.size() == 1) {
                const Waiting &one = batch.first();
                m_scripts.reserve(goodsId, one.ask.userId, one.ask.address, m_context, one.done);
                continue;
            }
            QList<redis::ReserveAsk> asks;
            asks.reserve(batch.size());
            for (const Waiting &w : batch)
                asks.append(w.ask);
            m_scripts.reserveMany(goodsId, asks, m_context,
                                  [batch](const QList<redis::ReserveOutcome> &outcomes) {
                                      for (qsizetype i = 0; i < batch.size(); ++i)
                                          batch[i].done(outcomes[i]);
                                  });
        }
    }
}

qint64 PublisherOrderQueue::backlog() const
{
    return m_publisher->backlog();
}

void PublisherOrderQueue::publish(const amqp::Reservation &reservation)
{
    CircuitBreaker *breaker = m_breaker;
    m_publisher->publish(reservation, m_context,
                         [breaker](const amqp::Reservation &r, const Status &published) {
                             if (published.ok())
                                 return breaker->recordSuccess();
                             breaker->recordFailure();
                             qCWarning(lcBuy).noquote()
                                 << "reservation" << r.id
                                 << "not confirmed, left to the reconciler:" << published.error();
                         });
}

} // namespace flashsale::sale
