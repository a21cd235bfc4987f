#include "orderworker.h"

#include "threadhandoff.h"

namespace flashsale::orders {

OrderWorker::OrderWorker(OrderWorkerOptions options, QObject *parent)
    : QObject(parent)
    , m_consumer(options.consumer)
    , m_processor(new OrderBatchProcessor(std::move(options), m_consumer, m_stats))
{
    m_thread.setObjectName(QStringLiteral("order-worker"));
    m_processor->moveToThread(&m_thread);
    connect(&m_consumer, &amqp::AmqpConsumer::received, m_processor, &OrderBatchProcessor::take);
    connect(m_processor, &OrderBatchProcessor::settled, this, &OrderWorker::settled);
}

OrderWorker::~OrderWorker()
{
    stop();
    delete m_processor;
}

void OrderWorker::start()
{
    if (m_started)
        return;
    m_started = true;
    // The first call on the thread, before its event loop runs.
    connect(&m_thread, &QThread::started, m_processor, &OrderBatchProcessor::initialize);
    m_thread.start();
    m_consumer.start();
}

void OrderWorker::stop()
{
    if (!m_thread.isRunning())
        return;
    m_consumer.stop(); // first: unacked deliveries return to the queue
    // On its thread: its database connection and Redis client are that thread's.
    runOnThreadAndWait(m_processor, [this] { m_processor->shutdown(); });
    m_thread.quit();
    m_thread.wait();
}

} // namespace flashsale::orders
