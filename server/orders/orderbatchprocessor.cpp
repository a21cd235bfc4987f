#include "orderbatchprocessor.h"

#include "database.h"
#include "reservationcodec.h"
#include "salemetrics.h"

#include <QTimer>
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

void OrderBatchProcessor::initialize()
{
    Result<std::unique_ptr<redis::Redis>> opened =
        redis::Redis::open(m_options.redisUrl, m_options.redis);
    if (!opened) {
        qCCritical(lcOrders).noquote() << "order worker: redis-url:" << opened.error();
        return;
    }
    m_redis = std::move(opened).value();
    m_stats.redisConnected = m_redis->isConnected();
    connect(m_redis.get(), &redis::Redis::connected, this,
            [this] { m_stats.redisConnected = true; });
    connect(m_redis.get(), &redis::Redis::disconnected, this, [this](const QString &reason) {
        m_stats.redisConnected = false;
        qCWarning(lcOrders).noquote() << "order worker: Redis is down:" << reason;
    });
    m_results = std::make_unique<ShopperResults>(m_redis.get());
}

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
    QList<QList<Reservation>> perDelivery; // each delivery's reservations, parallel to chunk
    QList<Reservation> reservations;
    auto commitChunk = [&] {
        if (chunk.isEmpty())
            return;
        const Result<QList<OrderOutcome>> outcomes = m_repository->createOrders(reservations);
        if (outcomes) {
            ++m_stats.transactions;
            countOutcomes(*outcomes, reservations);
            // Acked only once Redis knows the shoppers' results: until then the broker
            // keeps the messages, and a redelivery finds the orders made (idempotent).
            recordInRedis({chunk, outcomes.value(), 0, {}});
        } else if (reservations.size() > 1 && m_repository->isConnected()) {
            // The database is fine, so something in the batch is refused: find what, so
            // one bad reservation does not take its batch-mates to the dead-letter queue.
            qCWarning(lcOrders).noquote()
                << "order worker: batch of" << reservations.size()
                << "reservations failed, trying them one by one:" << outcomes.error();
            isolateFailures(chunk, perDelivery);
        } else {
            qCWarning(lcOrders).noquote()
                << "order worker: batch of" << reservations.size()
                << "reservations failed, giving it back for another try:" << outcomes.error();
            ++m_stats.failedBatches;
            m_consumer.retry(chunk);
            // A broken connection is reopened for the next batch.
            if (!m_repository->isConnected())
                m_repository.reset();
        }
        chunk.clear();
        perDelivery.clear();
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
        perDelivery.append(decoded.value());
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

void OrderBatchProcessor::countOutcomes(const QList<OrderOutcome> &outcomes,
                                        const QList<Reservation> &reservations)
{
    // The order lag needs each new order's reservation time, which the outcome lacks.
    QHash<QString, qint64> reservedAt;
    if (m_options.metrics) {
        reservedAt.reserve(reservations.size());
        for (const Reservation &r : reservations)
            reservedAt.insert(r.id, r.reservedAtMs);
    }
    for (const OrderOutcome &o : outcomes) {
        if (o.kind == OrderOutcome::Kind::Created) {
            ++m_stats.ordersCreated;
            if (m_options.metrics)
                m_options.metrics->orderCreated(reservedAt.value(o.reservation));
        } else if (o.kind == OrderOutcome::Kind::AlreadyCreated)
            ++m_stats.alreadyCreated;
        else
            ++m_stats.rejected;
    }
}

void OrderBatchProcessor::isolateFailures(const QList<Delivery> &chunk,
                                          const QList<QList<Reservation>> &perDelivery)
{
    for (qsizetype i = 0; i < chunk.size(); ++i) {
        if (!m_repository || !m_repository->isConnected()) {
            // The database went away meanwhile: the rest is simply tried again later.
            ++m_stats.failedBatches;
            m_consumer.retry(chunk.mid(i));
            m_repository.reset();
            return;
        }
        QList<OrderOutcome> outcomes;
        QList<Reservation> refused;
        QString error;
        for (const Reservation &r : perDelivery.at(i)) {
            const Result<QList<OrderOutcome>> one = m_repository->createOrders({r});
            if (one) {
                ++m_stats.transactions;
                outcomes.append(*one);
            } else {
                refused.append(r);
                error = one.error();
            }
        }
        countOutcomes(outcomes, perDelivery.at(i));
        if (!refused.isEmpty()) {
            ++m_stats.failedBatches;
            qCWarning(lcOrders).noquote()
                << "order worker:" << refused.size() << "of" << perDelivery.at(i).size()
                << "reservations of a message refused, giving them back for another try:" << error;
        }
        if (outcomes.isEmpty())
            m_consumer.retry({chunk.at(i)});
        else
            recordInRedis({{chunk.at(i)}, outcomes, 0, refused});
    }
}

void OrderBatchProcessor::recordInRedis(Committed committed)
{
    if (m_stopped)
        return;
    if (!m_results) {
        redisStepFailed(std::move(committed), QStringLiteral("no Redis client (bad redis-url)"));
        return;
    }
    const QList<OrderOutcome> outcomes = committed.outcomes;
    m_results->record(
        outcomes, this, [this, committed = std::move(committed)](const ShopperResults::Report &r) {
            if (m_stopped)
                return;
            if (!r.ok) {
                redisStepFailed(committed, r.error);
                return;
            }
            if (!r.ordersToCancel.isEmpty()) {
                // Redis gave these units back before the orders were confirmed (a
                // dead-lettered copy compensated, or a cancel): the orders must go too.
                const Result<QList<OrderRecord>> cancelled = ensureDatabase()
                    ? m_repository->cancelUnpaidNow(r.ordersToCancel)
                    : Result<QList<OrderRecord>>::failure(QStringLiteral("no database"));
                if (!cancelled) {
                    if (m_repository && !m_repository->isConnected()) {
                        m_repository.reset();
                        db::closeDatabase(m_connectionName);
                    }
                    redisStepFailed(committed,
                                    QStringLiteral("cancelling orders whose reservation was "
                                                   "rolled back: %1")
                                        .arg(cancelled.error()));
                    return;
                }
                m_stats.ordersCompensated += cancelled->size();
                qCWarning(lcOrders).noquote()
                    << "order worker:" << r.ordersToCancel.size()
                    << "orders were made for reservations already rolled back in Redis;"
                    << cancelled->size() << "cancelled now, their units back in the database";
            }
            if (std::exchange(m_redisStepFailing, false))
                qCInfo(lcOrders) << "order worker: recording results in Redis works again";
            m_stats.resultsConfirmed += r.confirmed;
            m_stats.unitsReturned += r.returned;
            Q_EMIT settled(committed.outcomes);
            if (committed.refused.isEmpty()) {
                m_consumer.ack(committed.deliveries);
            } else {
                // Only the refused part of the message goes round again (its tries counted).
                amqp::Delivery rest = committed.deliveries.constFirst();
                rest.body = ReservationCodec::encode(committed.refused);
                m_consumer.retry({rest});
            }
        });
}

void OrderBatchProcessor::redisStepFailed(Committed committed, const QString &error)
{
    ++m_stats.redisFailures;
    const bool redisUp = m_redis && m_redis->isConnected();
    // While Redis is down the batch waits here, unacked (the prefetch limit stops the
    // flow); failures with Redis up count, and in the end the queue's own retries and
    // the dead-letter queue take over.
    if (redisUp)
        ++committed.failures;
    if (committed.failures >= m_options.maxRedisTries) {
        qCWarning(lcOrders).noquote()
            << "order worker: recording" << committed.outcomes.size() << "results in Redis failed"
            << committed.failures << "times, giving the batch back:" << error;
        m_consumer.retry(committed.deliveries);
        return;
    }
    // Once per spell of failures, not once per batch.
    if (!std::exchange(m_redisStepFailing, true))
        qCWarning(lcOrders).noquote()
            << "order worker: recording results in Redis failed, committed batches wait "
               "unacked and are tried again:"
            << error;
    const int delayMs = redisUp ? 100 * (1 << std::min(committed.failures, 6)) : 500;
    QTimer::singleShot(delayMs, this,
                       [this, committed = std::move(committed)] { recordInRedis(committed); });
}

void OrderBatchProcessor::shutdown()
{
    m_stopped = true;
    m_results.reset();
    m_redis.reset();
    m_repository.reset();
    db::closeDatabase(m_connectionName);
}

} // namespace flashsale::orders
