#include "deadlettercompensator.h"

#include "database.h"
#include "reservationcodec.h"

#include <QTimer>
#include <QUuid>

namespace flashsale::orders {

using amqp::Delivery;
using amqp::Reservation;

DeadLetterCompensator::DeadLetterCompensator(DeadLetterOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_connectionName(
          QStringLiteral("dead-letters-%1").arg(QUuid::createUuid().toString(QUuid::Id128).left(8)))
{
    if (m_options.consumer.queue.isEmpty())
        m_options.consumer.queue = m_options.consumer.topology.deadLetterQueue;
    // A dead message is never dead-lettered again (the dead-letter queue has no
    // dead-letter queue): failures are held and retried here instead.
    m_options.consumer.maxAttempts = std::numeric_limits<int>::max();
}

DeadLetterCompensator::~DeadLetterCompensator()
{
    stop();
}

void DeadLetterCompensator::start()
{
    if (m_consumer)
        return;
    m_stopped = false;
    Result<std::unique_ptr<redis::Redis>> opened =
        redis::Redis::open(m_options.redisUrl, m_options.redis);
    if (!opened) {
        qCCritical(lcOrders).noquote() << "dead-letter compensator: redis-url:" << opened.error();
        return;
    }
    m_redis = std::move(opened).value();
    m_results = std::make_unique<ShopperResults>(m_redis.get());
    m_consumer = std::make_unique<amqp::AmqpConsumer>(m_options.consumer);
    connect(m_consumer.get(), &amqp::AmqpConsumer::received, this, &DeadLetterCompensator::take);
    m_consumer->start();
}

void DeadLetterCompensator::stop()
{
    m_stopped = true;
    if (m_consumer)
        m_consumer->stop();
    m_consumer.reset();
    m_results.reset();
    m_redis.reset();
    if (m_repository) {
        m_repository.reset();
        db::closeDatabase(m_connectionName);
    }
}

bool DeadLetterCompensator::ensureDatabase()
{
    if (m_repository)
        return true;
    const Result<QSqlDatabase> db = db::openDatabase(m_options.database, m_connectionName);
    if (!db) {
        qCWarning(lcOrders).noquote() << "dead-letter compensator:" << db.error();
        return false;
    }
    m_repository = std::make_unique<OrderRepository>(db.value());
    return true;
}

void DeadLetterCompensator::take(const QList<Delivery> &batch)
{
    process(batch, 0);
}

void DeadLetterCompensator::process(QList<Delivery> deliveries, int failures)
{
    if (m_stopped || !m_consumer)
        return;
    QList<Delivery> readable;
    QList<Reservation> reservations;
    QList<Delivery> unreadable;
    for (const Delivery &d : std::as_const(deliveries)) {
        Result<QList<Reservation>> decoded = amqp::ReservationCodec::decode(d.body);
        if (!decoded) {
            // Nothing in it can be given back; the body goes to the log for a person.
            qCCritical(lcOrders).noquote()
                << "dead-letter compensator: unreadable message dropped:" << decoded.error()
                << "body:" << QString::fromUtf8(d.body.left(2000));
            unreadable.append(d);
            continue;
        }
        readable.append(d);
        reservations.append(std::move(decoded).value());
    }
    if (!unreadable.isEmpty()) {
        m_stats.unreadable += unreadable.size();
        m_stats.messages += unreadable.size();
        m_consumer->ack(unreadable);
    }
    if (readable.isEmpty())
        return;

    // Which of them got their order after all (the message died after the commit)?
    if (!ensureDatabase()) {
        failed(readable, failures, QStringLiteral("database unreachable"));
        return;
    }
    QList<std::pair<qint64, qint64>> userGoods;
    for (const Reservation &r : std::as_const(reservations))
        userGoods.append({r.userId, r.goodsId});
    const Result<QList<OrderRecord>> orders = m_repository->ordersOf(userGoods);
    if (!orders) {
        if (!m_repository->isConnected()) {
            m_repository.reset();
            db::closeDatabase(m_connectionName);
        }
        failed(readable, failures, orders.error());
        return;
    }
    QHash<QString, const OrderRecord *> byReservation;
    for (const OrderRecord &o : *orders)
        byReservation.insert(o.reservation, &o);
    QList<OrderOutcome> outcomes;
    QSet<QString> seen;
    for (const Reservation &r : std::as_const(reservations)) {
        if (seen.contains(r.id))
            continue;
        seen.insert(r.id);
        OrderOutcome o {r.id, r.goodsId, r.userId, OrderOutcome::Kind::GivenUp, 0};
        // A cancelled order's unit goes back like one that never was (rollback is idempotent).
        if (const OrderRecord *order = byReservation.value(r.id);
            order && order->status != u"cancelled") {
            o.kind = OrderOutcome::Kind::AlreadyCreated;
            o.orderId = order->orderId;
        }
        outcomes.append(o);
    }
    m_results->record(
        outcomes, this, [this, readable, outcomes, failures](const ShopperResults::Report &r) {
            if (m_stopped)
                return;
            if (!r.ok) {
                failed(readable, failures, r.error);
                return;
            }
            if (!r.ordersToCancel.isEmpty()) {
                const auto cancelled = ensureDatabase()
                    ? m_repository->cancelUnpaidNow(r.ordersToCancel)
                    : Result<QList<OrderRecord>>::failure(QStringLiteral("database unreachable"));
                if (!cancelled) {
                    failed(readable, failures, cancelled.error());
                    return;
                }
            }
            qint64 givenUp = 0;
            for (const OrderOutcome &o : outcomes)
                givenUp += o.hasOrder() ? 0 : 1;
            m_stats.messages += readable.size();
            m_stats.unitsReturned += r.returned;
            m_stats.resultsFailed += givenUp;
            m_stats.ordersFound += outcomes.size() - givenUp;
            qCWarning(lcOrders).noquote()
                << QStringLiteral("dead-letter compensator: %1 reservations "
                                  "failed for good (%2 units back in Redis "
                                  "stock), %3 had their order")
                       .arg(givenUp)
                       .arg(r.returned)
                       .arg(outcomes.size() - givenUp);
            Q_EMIT compensated(outcomes);
            m_consumer->ack(readable);
        });
}

void DeadLetterCompensator::failed(const QList<Delivery> &deliveries, int failures,
                                   const QString &error)
{
    ++m_stats.failures;
    if (failures == 0)
        qCWarning(lcOrders).noquote()
            << "dead-letter compensator: cannot settle" << deliveries.size()
            << "messages yet, holding them:" << error;
    // Held unacked and tried again: the dead-letter queue is the end of the line.
    QTimer::singleShot(std::min(200 * (1 << std::min(failures, 5)), 5000), this,
                       [this, deliveries, failures] { process(deliveries, failures + 1); });
}

} // namespace flashsale::orders
