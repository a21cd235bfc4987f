#include "buysteps.h"

#include "circuitbreaker.h"
#include "reservationpublisher.h"

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcBuy)

namespace flashsale::sale {

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
