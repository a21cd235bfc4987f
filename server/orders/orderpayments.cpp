#include "orderpayments.h"

#include "threadhandoff.h"

#include <QPointer>

#include <future>

namespace flashsale::orders {

namespace {

// Wraps \a done so that it runs in \a context's thread, and not at all once it is gone.
template<typename T>
std::function<void(const T &)> inContext(QObject *context, std::function<void(const T &)> done)
{
    return [context = QPointer<QObject>(context), done = std::move(done)](const T &value) {
        if (!context || !done)
            return;
        QMetaObject::invokeMethod(
            context.data(), [done, value] { done(value); }, Qt::QueuedConnection);
    };
}

} // namespace

OrderPayments::OrderPayments(OrderPaymentsOptions options, QObject *parent)
    : QObject(parent)
    , m_desk(new PaymentDesk(std::move(options), m_stats))
{
    m_thread.setObjectName(QStringLiteral("payments"));
    m_desk->moveToThread(&m_thread);
}

OrderPayments::~OrderPayments()
{
    stop();
    delete m_desk;
}

void OrderPayments::start()
{
    if (m_started)
        return;
    m_started = true;
    // The first call on the thread, before its event loop runs.
    connect(&m_thread, &QThread::started, m_desk, &PaymentDesk::initialize);
    m_thread.start();
}

void OrderPayments::stop()
{
    if (!m_thread.isRunning())
        return;
    // On its thread: its database connection and Redis client are that thread's.
    runOnThreadAndWait(m_desk, [this] { m_desk->shutdown(); });
    m_thread.quit();
    m_thread.wait();
}

void OrderPayments::pay(qint64 orderId, qint64 userId, QObject *context, Callback done)
{
    QMetaObject::invokeMethod(
        m_desk, [desk = m_desk, orderId, userId, done = inContext(context, std::move(done))] {
            desk->pay(orderId, userId, done);
        });
}

void OrderPayments::cancel(qint64 orderId, qint64 userId, QObject *context, Callback done)
{
    QMetaObject::invokeMethod(
        m_desk, [desk = m_desk, orderId, userId, done = inContext(context, std::move(done))] {
            desk->cancel(orderId, userId, done);
        });
}

void OrderPayments::sweepNow(QObject *context, std::function<void(const Result<int> &)> done)
{
    QMetaObject::invokeMethod(
        m_desk, [desk = m_desk, done = inContext(context, std::move(done))] { desk->sweep(done); });
}

OrderPayments::Wait OrderPayments::waitFor(std::function<void(PaymentDesk::ChangeCallback)> submit,
                                           std::chrono::milliseconds timeout)
{
    if (QThread::currentThread() == &m_thread)
        return Wait::failure(QStringLiteral("payments: waiting on its own thread would deadlock"));
    if (!m_thread.isRunning())
        return Wait::failure(QStringLiteral("payments not running"));
    auto promise = std::make_shared<std::promise<Wait>>();
    std::future<Wait> answer = promise->get_future();
    QMetaObject::invokeMethod(m_desk, [submit = std::move(submit), promise] {
        submit([promise](const Wait &result) { promise->set_value(result); });
    });
    if (answer.wait_for(timeout) != std::future_status::ready)
        return Wait::failure(
            QStringLiteral("payments: no answer within %1 ms").arg(timeout.count()));
    try {
        return answer.get();
    } catch (const std::future_error &) {
        // The job was dropped unrun (stopped meanwhile): no answer will come.
        return Wait::failure(QStringLiteral("payments stopped"));
    }
}

Result<OrderChange> OrderPayments::payAndWait(qint64 orderId, qint64 userId,
                                              std::chrono::milliseconds timeout)
{
    return waitFor([desk = m_desk, orderId,
                    userId](PaymentDesk::ChangeCallback done) { desk->pay(orderId, userId, done); },
                   timeout);
}

Result<OrderChange> OrderPayments::cancelAndWait(qint64 orderId, qint64 userId,
                                                 std::chrono::milliseconds timeout)
{
    return waitFor([desk = m_desk, orderId, userId](
                       PaymentDesk::ChangeCallback done) { desk->cancel(orderId, userId, done); },
                   timeout);
}

} // namespace flashsale::orders
