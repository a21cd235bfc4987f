#include "reconciler.h"

#include "database.h"

#include <QDateTime>
#include <QTimer>
#include <QUuid>

namespace flashsale::orders {

using redis::PendingReservation;
using redis::SaleInventory;

Reconciler::Reconciler(ReconcilerOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_connectionName(
          QStringLiteral("reconciler-%1").arg(QUuid::createUuid().toString(QUuid::Id128).left(8)))
{ }

Reconciler::~Reconciler()
{
    stop();
}

void Reconciler::start()
{
    if (m_timer)
        return;
    Result<std::unique_ptr<redis::Redis>> opened =
        redis::Redis::open(m_options.redisUrl, m_options.redis);
    if (!opened) {
        qCCritical(lcOrders).noquote() << "reconciler: redis-url:" << opened.error();
        return;
    }
    m_redis = std::move(opened).value();
    m_scripts = std::make_unique<redis::SaleScripts>(m_redis.get());
    m_publisher = std::make_unique<amqp::ReservationPublisher>(m_options.publisher);
    m_publisher->start();
    m_timer = new QTimer(this);
    connect(m_timer, &QTimer::timeout, this, &Reconciler::reconcileNow);
    m_timer->start(m_options.interval);
}

void Reconciler::stop()
{
    delete m_timer;
    m_timer = nullptr;
    if (m_publisher)
        m_publisher->stop();
    m_publisher.reset();
    m_scripts.reset();
    m_redis.reset();
    m_roundRunning = false;
    if (m_repository) {
        m_repository.reset();
        db::closeDatabase(m_connectionName);
    }
}

bool Reconciler::ensureDatabase()
{
    if (m_repository)
        return true;
    const Result<QSqlDatabase> db = db::openDatabase(m_options.database, m_connectionName);
    if (!db) {
        qCWarning(lcOrders).noquote() << "reconciler:" << db.error();
        return false;
    }
    m_repository = std::make_unique<OrderRepository>(db.value());
    return true;
}

QList<SaleDrift> Reconciler::lastDrift() const
{
    const std::lock_guard lock(m_driftMutex);
    return m_lastDrift;
}

void Reconciler::reconcileNow()
{
    if (m_roundRunning || !m_scripts || !m_publisher)
        return;
    if (!m_redis->isConnected()) {
        ++m_stats.failures;
        qCDebug(lcOrders) << "reconciler: Redis not connected, round skipped";
        return;
    }
    if (!ensureDatabase()) {
        ++m_stats.failures;
        return;
    }
    const Result<QList<SaleStock>> sales = m_repository->activeSales(m_options.endedFor);
    if (!sales) {
        ++m_stats.failures;
        qCWarning(lcOrders).noquote() << "reconciler:" << sales.error();
        if (!m_repository->isConnected()) {
            m_repository.reset();
            db::closeDatabase(m_connectionName);
        }
        return;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 after = m_options.republishAfter.count();
    // Reservations published again less than T ago get the time to make it through.
    m_republishedAtMs.removeIf([now, after](auto it) { return it.value() < now - after; });
    if (sales->isEmpty()) {
        finishRound({});
        return;
    }

    struct Round
    {
        QList<SaleDrift> drift;
        qsizetype waiting = 0;
        QString error;
    };
    auto round = std::make_shared<Round>();
    round->waiting = sales->size() * 2;
    m_roundRunning = true;
    auto answered = [this, round] {
        if (--round->waiting > 0)
            return;
        if (!round->error.isEmpty()) {
            // Half a picture is no picture: no drift figures from this round.
            m_roundRunning = false;
            ++m_stats.failures;
            qCWarning(lcOrders).noquote() << "reconciler: round failed:" << round->error;
            return;
        }
        finishRound(round->drift);
    };
    for (const SaleStock &sale : *sales) {
        const qsizetype i = round->drift.size();
        SaleDrift d;
        d.goodsId = sale.goodsId;
        d.preloadedStock = sale.preloadedStock;
        d.databaseStock = sale.stock;
        d.liveOrders = sale.liveOrders;
        round->drift.append(d);
        m_scripts->inventory(sale.goodsId, this, [round, i, answered](const SaleInventory &inv) {
            SaleDrift &d = round->drift[i];
            if (!inv.ok)
                round->error =
                    QStringLiteral("inventory of goods %1: %2").arg(d.goodsId).arg(inv.error);
            d.inRedis = inv.exists;
            d.redisStock = inv.stock;
            d.redisPending = inv.pending;
            d.redisTotal = inv.total;
            d.soldOut = inv.soldOut;
            answered();
        });
        m_scripts->pendingBefore(
            sale.goodsId, now - after, m_options.batch, this,
            [this, round, answered, now,
             goods = sale.goodsId](const Result<QList<PendingReservation>> &pending) {
                if (!pending) {
                    round->error =
                        QStringLiteral("pending of goods %1: %2").arg(goods).arg(pending.error());
                    answered();
                    return;
                }
                int count = 0;
                for (const PendingReservation &p : *pending) {
                    const QString id = QString::fromLatin1(p.reservationId());
                    if (m_republishedAtMs.contains(id))
                        continue;
                    m_republishedAtMs.insert(id, now);
                    ++count;
                    m_publisher->publish({id, p.goodsId, p.userId, p.reservedAtMs}, this,
                                         [this](const amqp::Reservation &r, const Status &s) {
                                             if (s) {
                                                 ++m_stats.republished;
                                                 return;
                                             }
                                             ++m_stats.republishFailed;
                                             m_republishedAtMs.remove(r.id); // next round
                                             qCWarning(lcOrders).noquote()
                                                 << "reconciler: publishing" << r.id
                                                 << "again failed:" << s.error();
                                         });
                }
                if (count > 0)
                    qCWarning(lcOrders).noquote()
                        << "reconciler: goods" << goods << ":" << count
                        << "reservations still pending after" << m_options.republishAfter.count()
                        << "ms, published again";
                answered();
            });
    }
}

void Reconciler::finishRound(const QList<SaleDrift> &drift)
{
    m_roundRunning = false;
    qint64 withDrift = 0;
    QHash<qint64, qint64> reported;
    for (const SaleDrift &d : drift) {
        if (!d.inRedis)
            continue; // not loaded into Redis (yet): nothing to compare
        reported.insert(d.goodsId, d.drift());
        if (d.drift() == 0 && d.databaseDrift() == 0)
            continue;
        ++withDrift;
        // Drift with reservations in flight is expected (an order committed and its
        // confirm on the way counts twice); once nothing is pending it is real. Logged when
        // it changes, not every round.
        if (m_reportedDrift.value(d.goodsId) == d.drift() && d.databaseDrift() == 0)
            continue;
        const QString text =
            QStringLiteral("reconciler: goods %1 drift %2 (Redis stock %3 + pending %4 + orders "
                           "%5 vs preloaded %6; database stock %7, database drift %8)")
                .arg(d.goodsId)
                .arg(d.drift())
                .arg(d.redisStock)
                .arg(d.redisPending)
                .arg(d.liveOrders)
                .arg(d.preloadedStock)
                .arg(d.databaseStock)
                .arg(d.databaseDrift());
        if (d.redisPending == 0 || d.databaseDrift() != 0)
            qCWarning(lcOrders).noquote() << text;
        else
            qCInfo(lcOrders).noquote() << text;
    }
    m_reportedDrift = reported;
    m_stats.salesWithDrift = withDrift;
    ++m_stats.rounds;
    {
        const std::lock_guard lock(m_driftMutex);
        m_lastDrift = drift;
    }
    Q_EMIT reconciled(drift);
}

} // namespace flashsale::orders
