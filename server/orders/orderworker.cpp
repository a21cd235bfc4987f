#include "orderworker.h"

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
    m_thread.start();
    QMetaObject::invokeMethod(m_processor, &OrderBatchProcessor::initialize, Qt::QueuedConnection);
    m_consumer.start();
}

void OrderWorker::stop()
{
    if (!m_thread.isRunning())
        return;
    m_consumer.stop(); // first: unacked deliveries return to the queue
    QMetaObject::invokeMethod(m_processor, &OrderBatchProcessor::shutdown,
                              Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

} // namespace flashsale::orders
