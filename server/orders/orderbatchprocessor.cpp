#include "orderbatchprocessor.h"

#include "database.h"
#include "reservationcodec.h"

#include <QUuid>

namespace flashsale::orders {

using amqp::Delivery;
using amqp::Reservation;
using amqp::ReservationCodec;

OrderBatchProcessor::OrderBatchProcessor(OrderWorkerOptions options, amqp::AmqpConsumer &consumer,
                                         OrderWorkerStats &stats)
    : m_options(std::move(options))
    , m_consumer(consumer)
    , m_stats(stats)
    , m_connectionName(
          QStringLiteral("order-worker-%1").arg(QUuid::createUuid().toString(QUuid::Id128).left(8)))
{ }

OrderBatchProcessor::~OrderBatchProcessor() = default;

void OrderBatchProcessor::take(const QList<Delivery> &batch)
{
    m_pending.append(batch);
    if (m_scheduled)
        return;
    m_scheduled = true;
    // Later, not now: batches that arrive meanwhile join this one (fewer transactions).
    QMetaObject::invokeMethod(this, &OrderBatchProcessor::processPending, Qt::QueuedConnection);
}

bool OrderBatchProcessor::ensureDatabase()
{
    if (m_repository)
        return true;
    const Result<QSqlDatabase> db = db::openDatabase(m_options.database, m_connectionName);
    if (!db) {
        qCWarning(lcOrders).noquote() << "order worker:" << db.error();
        return false;
    }
    m_repository = std::make_unique<OrderRepository>(db.value());
    return true;
}

void OrderBatchProcessor::processPending()
{
    m_scheduled = false;
    QList<Delivery> deliveries = std::exchange(m_pending, {});
    if (deliveries.isEmpty())
        return;
    if (!ensureDatabase()) {
        ++m_stats.failedBatches;
        m_consumer.retry(deliveries);
        return;
    }
    // Decode; a message that cannot be read will never succeed: dead-letter it at once.
    QList<Delivery> chunk;
    QList<Reservation> reservations;
    auto commitChunk = [&] {
        if (chunk.isEmpty())
            return;
        const Result<QList<OrderOutcome>> outcomes = m_repository->createOrders(reservations);
        if (!outcomes) {
            qCWarning(lcOrders).noquote()
                << "order worker: batch of" << reservations.size()
                << "reservations failed, giving it back for another try:" << outcomes.error();
            ++m_stats.failedBatches;
            m_consumer.retry(chunk);
            // A broken connection is reopened for the next batch.
            if (!m_repository->isConnected())
                m_repository.reset();
        } else {
            ++m_stats.transactions;
            for (const OrderOutcome &o : *outcomes) {
                if (o.kind == OrderOutcome::Kind::Created)
                    ++m_stats.ordersCreated;
                else if (o.kind == OrderOutcome::Kind::AlreadyCreated)
                    ++m_stats.alreadyCreated;
                else
                    ++m_stats.rejected;
            }
            Q_EMIT settled(*outcomes);
            m_consumer.ack(chunk);
        }
        chunk.clear();
        reservations.clear();
    };
    QList<Delivery> poison;
    for (const Delivery &d : std::as_const(deliveries)) {
        Result<QList<Reservation>> decoded = ReservationCodec::decode(d.body);
        if (!decoded) {
            qCWarning(lcOrders).noquote() << "order worker: unreadable order message, to the "
                                             "dead-letter queue:"
                                          << decoded.error();
            poison.append(d);
            continue;
        }
        if (reservations.size() + decoded->size() > m_options.maxReservationsPerTransaction)
            commitChunk();
        chunk.append(d);
        reservations.append(std::move(decoded).value());
    }
    commitChunk();
    if (!poison.isEmpty()) {
        m_stats.poisonMessages += poison.size();
        m_consumer.deadLetter(poison);
    }
    if (!m_repository)
        db::closeDatabase(m_connectionName);
}

void OrderBatchProcessor::shutdown()
{
    m_repository.reset();
    db::closeDatabase(m_connectionName);
}

} // namespace flashsale::orders
