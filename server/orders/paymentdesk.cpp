#include "paymentdesk.h"

#include "database.h"

#include <QTimer>
#include <QUuid>

namespace flashsale::orders {

using redis::RollbackOutcome;
using redis::RollbackReason;

PaymentDesk::PaymentDesk(OrderPaymentsOptions options, OrderPaymentsStats &stats)
    : m_options(std::move(options))
    , m_stats(stats)
    , m_connectionName(
          QStringLiteral("payments-%1").arg(QUuid::createUuid().toString(QUuid::Id128).left(8)))
{ }

PaymentDesk::~PaymentDesk() = default;

void PaymentDesk::initialize()
{
    Result<std::unique_ptr<redis::Redis>> opened =
        redis::Redis::open(m_options.redisUrl, m_options.redis);
    if (!opened) {
        qCCritical(lcOrders).noquote() << "payments: redis-url:" << opened.error();
    } else {
        m_redis = std::move(opened).value();
        m_scripts = std::make_unique<redis::SaleScripts>(m_redis.get());
        connect(m_redis.get(), &redis::Redis::connected, this,
                [this] { m_stats.redisConnected = true; });
        connect(m_redis.get(), &redis::Redis::disconnected, this,
                [this] { m_stats.redisConnected = false; });
    }
    if (m_options.paymentTimeout.count() > 0) {
        m_sweepTimer = new QTimer(this);
        connect(m_sweepTimer, &QTimer::timeout, this, [this] {
            if (!m_sweepQueued)
                sweep({});
        });
        m_sweepTimer->start(m_options.sweepInterval);
    }
}

void PaymentDesk::shutdown()
{
    m_stopped = true;
    delete m_sweepTimer; // on this thread, which made it
    m_sweepTimer = nullptr;
    for (Job &job : m_jobs) {
        if (job.changed)
            job.changed(Result<OrderChange>::failure(QStringLiteral("payments stopped")));
        if (job.swept)
            job.swept(Result<int>::failure(QStringLiteral("payments stopped")));
    }
    m_jobs.clear();
    if (m_repository) {
        m_repository->rollbackTransaction(); // a cancel waiting for Redis is undone
        m_repository.reset();
        db::closeDatabase(m_connectionName);
    }
    m_scripts.reset();
    m_redis.reset();
}

void PaymentDesk::pay(qint64 orderId, qint64 userId, ChangeCallback done)
{
    submit({Job::Kind::Pay, orderId, userId, std::move(done), {}});
}

void PaymentDesk::cancel(qint64 orderId, qint64 userId, ChangeCallback done)
{
    submit({Job::Kind::Cancel, orderId, userId, std::move(done), {}});
}

void PaymentDesk::sweep(SweepCallback done)
{
    m_sweepQueued = true;
    submit({Job::Kind::Sweep, 0, 0, {}, std::move(done)});
}

void PaymentDesk::submit(Job job)
{
    if (m_stopped) {
        if (job.changed)
            job.changed(Result<OrderChange>::failure(QStringLiteral("payments stopped")));
        if (job.swept)
            job.swept(Result<int>::failure(QStringLiteral("payments stopped")));
        return;
    }
    m_jobs.push_back(std::move(job));
    if (!m_busy)
        runNext();
}

void PaymentDesk::runNext()
{
    if (m_busy || m_jobs.empty() || m_stopped)
        return;
    m_busy = true;
    const Job job = std::move(m_jobs.front());
    m_jobs.pop_front();
    if (!ensureDatabase()) {
        const QString error = QStringLiteral("database unreachable");
        ++m_stats.failures;
        if (job.changed)
            job.changed(Result<OrderChange>::failure(error));
        if (job.swept) {
            m_sweepQueued = false;
            job.swept(Result<int>::failure(error));
        } else if (job.kind == Job::Kind::Sweep) {
            m_sweepQueued = false;
        }
        finished();
        return;
    }
    switch (job.kind) {
    case Job::Kind::Pay:
        runPay(job);
        break;
    case Job::Kind::Cancel:
        runCancel(job);
        break;
    case Job::Kind::Sweep:
        runSweep(job);
        break;
    }
}

void PaymentDesk::finished()
{
    m_busy = false;
    // Queued, not now: the caller's callback returns first, and the stack stays flat.
    QMetaObject::invokeMethod(this, &PaymentDesk::runNext, Qt::QueuedConnection);
}

bool PaymentDesk::ensureDatabase()
{
    if (m_repository)
        return true;
    const Result<QSqlDatabase> db = db::openDatabase(m_options.database, m_connectionName);
    if (!db) {
        qCWarning(lcOrders).noquote() << "payments:" << db.error();
        return false;
    }
    m_repository = std::make_unique<OrderRepository>(db.value());
    return true;
}

void PaymentDesk::dropDatabaseIfBroken()
{
    if (m_repository && !m_repository->isConnected()) {
        m_repository.reset();
        db::closeDatabase(m_connectionName);
    }
}

void PaymentDesk::runPay(const Job &job)
{
    const Result<OrderChange> change = m_repository->pay(job.orderId, job.userId);
    if (!change) {
        ++m_stats.failures;
        dropDatabaseIfBroken();
    } else if (change->kind == OrderChange::Kind::Done) {
        ++m_stats.paid;
    }
    job.changed(change);
    finished();
}

void PaymentDesk::runCancel(const Job &job)
{
    using R = Result<OrderChange>;
    auto fail = [this, &job](const QString &error) {
        ++m_stats.failures;
        m_repository->rollbackTransaction();
        dropDatabaseIfBroken();
        job.changed(R::failure(error));
        finished();
    };
    if (Status s = m_repository->beginTransaction(); !s)
        return fail(s.error());
    const Result<QList<OrderRecord>> cancelled =
        m_repository->cancelUnpaid({job.orderId}, job.userId);
    if (!cancelled)
        return fail(cancelled.error());
    if (cancelled->isEmpty()) {
        m_repository->rollbackTransaction();
        const Result<std::optional<OrderRecord>> current =
            m_repository->order(job.orderId, job.userId);
        if (!current)
            return fail(current.error());
        if (!current.value()) {
            job.changed(OrderChange {OrderChange::Kind::NotFound, std::nullopt});
            return finished();
        }
        const OrderRecord order = *current.value();
        if (order.status != u"cancelled") {
            job.changed(OrderChange {OrderChange::Kind::NotAllowed, order});
            return finished();
        }
        // Cancelled before. Its unit went back to Redis then, in the same step; asking
        // again is idempotent and repairs a Redis that lost it (restored from a backup).
        if (!m_scripts) {
            job.changed(OrderChange {OrderChange::Kind::Unchanged, order});
            return finished();
        }
        m_scripts->rollback(order.goodsId, order.userId, RollbackReason::Cancelled, this,
                            [this, job, order](const RollbackOutcome &r) {
                                if (r.kind == RollbackOutcome::Kind::Returned)
                                    ++m_stats.unitsReturned;
                                job.changed(OrderChange {OrderChange::Kind::Unchanged, order});
                                finished();
                            });
        return;
    }
    const OrderRecord order = cancelled->first();
    returnUnitsAndCommit(*cancelled, RollbackReason::Cancelled,
                         [this, job, order](const Status &s) {
                             if (!s) {
                                 ++m_stats.failures;
                                 job.changed(R::failure(s.error()));
                             } else {
                                 ++m_stats.cancelled;
                                 job.changed(OrderChange {OrderChange::Kind::Done, order});
                             }
                             finished();
                         });
}

void PaymentDesk::runSweep(const Job &job)
{
    auto done = [this, job](const Result<int> &result) {
        m_sweepQueued = false;
        if (!result)
            ++m_stats.failures;
        if (job.swept)
            job.swept(result);
        finished();
    };
    auto fail = [this, done](const QString &error) {
        m_repository->rollbackTransaction();
        dropDatabaseIfBroken();
        qCWarning(lcOrders).noquote() << "payment timeout:" << error;
        done(Result<int>::failure(error));
    };
    if (Status s = m_repository->beginTransaction(); !s)
        return fail(s.error());
    const Result<QList<qint64>> expired =
        m_repository->lockExpiredUnpaid(m_options.paymentTimeout, m_options.sweepBatch);
    if (!expired)
        return fail(expired.error());
    if (expired->isEmpty()) {
        m_repository->rollbackTransaction();
        return done(0);
    }
    const Result<QList<OrderRecord>> cancelled = m_repository->cancelUnpaid(expired.value());
    if (!cancelled)
        return fail(cancelled.error());
    const int count = int(cancelled->size());
    const bool more = expired->size() >= m_options.sweepBatch;
    returnUnitsAndCommit(
        *cancelled, RollbackReason::Cancelled, [this, done, count, more](const Status &s) {
            if (!s) {
                qCWarning(lcOrders).noquote() << "payment timeout:" << s.error();
                done(Result<int>::failure(s.error()));
                return;
            }
            m_stats.timedOut += count;
            qCInfo(lcOrders).noquote() << "payment timeout:" << count
                                       << "unpaid orders cancelled, their units back on sale";
            done(count);
            if (more && !m_sweepQueued)
                sweep({}); // a backlog: the next batch right away
        });
}

void PaymentDesk::returnUnitsAndCommit(const QList<OrderRecord> &orders, RollbackReason reason,
                                       std::function<void(const Status &)> done)
{
    if (!m_scripts) {
        m_repository->rollbackTransaction();
        done(Status::failure(QStringLiteral("no Redis client (bad redis-url)")));
        return;
    }
    struct Run
    {
        qsizetype waiting = 0;
        qint64 returned = 0;
        QString error;
    };
    auto run = std::make_shared<Run>();
    run->waiting = orders.size();
    for (const OrderRecord &o : orders) {
        m_scripts->rollback(
            o.goodsId, o.userId, reason, this, [this, run, done, o](const RollbackOutcome &r) {
                if (r.kind == RollbackOutcome::Kind::Error && run->error.isEmpty())
                    run->error = QStringLiteral("Redis did not take back the unit of order %1: %2")
                                     .arg(o.orderId)
                                     .arg(r.error);
                else if (r.kind == RollbackOutcome::Kind::Returned)
                    ++run->returned;
                else if (r.kind == RollbackOutcome::Kind::NoReservation)
                    qCWarning(lcOrders).noquote()
                        << "order" << o.orderId << "cancelled: Redis has no result for user"
                        << o.userId << "of goods" << o.goodsId << "(no unit to give back there)";
                if (--run->waiting > 0)
                    return;
                if (m_stopped || !m_repository)
                    return done(Status::failure(QStringLiteral("payments stopped")));
                if (!run->error.isEmpty()) {
                    // Some units may be back in Redis already; the orders stay unpaid and
                    // the next try finds them rolled back there (idempotent) and commits.
                    m_repository->rollbackTransaction();
                    return done(Status::failure(run->error));
                }
                const Status committed = m_repository->commitTransaction();
                if (!committed)
                    dropDatabaseIfBroken();
                else
                    m_stats.unitsReturned += run->returned;
                done(committed);
            });
    }
}

} // namespace flashsale::orders
