#pragma once

#include "orderchange.h"
#include "orderpaymentsoptions.h"
#include "paymentdesk.h"
#include "result.h"

#include <QObject>
#include <QThread>

#include <chrono>
#include <functional>

namespace flashsale::orders {

/// Paying for and cancelling orders, and the payment timeout, on a thread of its own with
/// its own database connection and Redis client. Usable from any thread:
///
///     payments->cancel(orderId, userId, this, [](const Result<OrderChange> &r) {
///         // in this object's thread: r.error() (database or Redis down: 503), or
///         // r->kind Done / Unchanged / NotFound (404) / NotAllowed (409), r->order
///     });
///
/// or, from a thread without an event loop (never this object's own), the *AndWait calls.
///
/// Exactly once: cancelling moves the order from created to cancelled, returns its unit to
/// `miaosha_goods` (optimistic lock) and to Redis (`rollback(Cancelled)`: stock, result
/// "cancelled", sold-out mark cleared and `restocked` announced), all or nothing; a second
/// or concurrent cancel or pay of the same order, in this process or another, finds it
/// cancelled and changes nothing. With a paymentTimeout, unpaid orders older than it are
/// cancelled the same way (several processes may sweep at once: SKIP LOCKED).
class OrderPayments : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const Result<OrderChange> &)>;

    explicit OrderPayments(OrderPaymentsOptions options, QObject *parent = nullptr);
    /// Stops (see stop()).
    ~OrderPayments() override;

    /// Starts the thread (connections are made on first use, Redis at once).
    void start();
    /// Fails what is queued, undoes a cancel in flight, joins the thread.
    void stop();

    /// Thread-safe. Marks the shopper's unpaid order paid; \a done runs once in \a context's
    /// thread (not if \a context is destroyed by then).
    void pay(qint64 orderId, qint64 userId, QObject *context, Callback done);
    /// Thread-safe. Cancels the shopper's unpaid order and returns its unit everywhere.
    void cancel(qint64 orderId, qint64 userId, QObject *context, Callback done);

    /// pay(), waiting up to \a timeout for the answer. Not from this object's thread.
    Result<OrderChange> payAndWait(qint64 orderId, qint64 userId,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(10));
    /// cancel(), waiting up to \a timeout for the answer. Not from this object's thread.
    Result<OrderChange> cancelAndWait(qint64 orderId, qint64 userId,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(10));

    /// Runs one payment-timeout sweep now (even without a paymentTimeout timer: then
    /// nothing is old enough unless the options' timeout is set); \a done gets how many
    /// orders it cancelled.
    void sweepNow(QObject *context, std::function<void(const Result<int> &)> done);

    const OrderPaymentsStats &stats() const { return m_stats; }

private:
    using Wait = Result<OrderChange>;
    Wait waitFor(std::function<void(PaymentDesk::ChangeCallback)> submit,
                 std::chrono::milliseconds timeout);

    OrderPaymentsStats m_stats;
    QThread m_thread;
    PaymentDesk *m_desk = nullptr;
    bool m_started = false;
};

} // namespace flashsale::orders
