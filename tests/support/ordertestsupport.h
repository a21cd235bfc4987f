#pragma once

// What the order pipeline's tests share: a fresh database with the schema, a Redis client,
// sales set up in both, reservations made the way the buy path makes them.
// Header-only; for tests that link flashsale::orders.

#include "database.h"
#include "databaseurl.h"
#include "migrator.h"
#include "orderworkeroptions.h"
#include "publisheroptions.h"
#include "redistestsupport.h"
#include "reservation.h"
#include "salescripts.h"
#include "testservices.h"

#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

#include <memory>

namespace flashsale::test {

/// One test's database and Redis client, and the sales it sets up in them.
class OrderFixture
{
public:
    /// Creates and migrates a fresh database, connects to Redis (fatal on failure).
    void open()
    {
        m_databaseUrl = TestServices::instance().createDatabase();
        const auto opened = db::openDatabase(db::DatabaseUrl::parse(m_databaseUrl).value(),
                                             QStringLiteral("fixture"));
        if (!opened)
            qFatal("%s", qPrintable(opened.error()));
        m_db = opened.value();
        if (const Result<int> applied = db::Migrator(m_db).migrate(); !applied)
            qFatal("%s", qPrintable(applied.error()));
        auto redis = redis::Redis::open(TestServices::instance().redisUrl());
        if (!redis)
            qFatal("%s", qPrintable(redis.error()));
        m_redis = std::move(redis).value();
        if (!QTest::qWaitFor([this] { return m_redis->isConnected(); }, 10'000))
            qFatal("Redis did not connect");
        m_scripts = std::make_unique<redis::SaleScripts>(m_redis.get());
    }

    void close()
    {
        m_scripts.reset();
        m_redis.reset();
        m_db = QSqlDatabase();
        db::closeDatabase(QStringLiteral("fixture"));
    }

    QString databaseUrl() const { return m_databaseUrl; }
    QSqlDatabase &database() { return m_db; }
    redis::Redis *redis() const { return m_redis.get(); }
    const redis::SaleScripts &scripts() const { return *m_scripts; }

    qint64 scalar(const QString &sql, const QVariantList &values = {})
    {
        QSqlQuery q(m_db);
        q.prepare(sql);
        for (const QVariant &v : values)
            q.addBindValue(v);
        if (!q.exec() || !q.next())
            qFatal("%s: %s", qPrintable(sql), qPrintable(db::describeError(q)));
        return q.value(0).toLongLong();
    }

    /// Runs \a sql (unprepared when there are no \a values: DDL cannot be prepared).
    void exec(const QString &sql, const QVariantList &values = {})
    {
        QSqlQuery q(m_db);
        bool ok = false;
        if (values.isEmpty()) {
            ok = q.exec(sql);
        } else {
            q.prepare(sql);
            for (const QVariant &v : values)
                q.addBindValue(v);
            ok = q.exec();
        }
        if (!ok)
            qFatal("%s: %s", qPrintable(sql), qPrintable(db::describeError(q)));
    }

    /// A live sale (started a minute ago, ends in an hour) of a goods id no other test
    /// uses: \a stock units in the database, and in Redis unless \a redisStock says otherwise
    /// (-1: the same; -2: none loaded).
    qint64 createSale(qint64 stock, qint64 redisStock = -1)
    {
        const qint64 id = freshGoodsId();
        exec(QStringLiteral("INSERT INTO goods (id, name, price_cents) VALUES (?, ?, 1000)"),
             {id, QStringLiteral("goods %1").arg(id)});
        exec(QStringLiteral("INSERT INTO miaosha_goods (goods_id, flash_price_cents, stock, "
                            "preloaded_stock, reveal_at, start_at, end_at) VALUES (?, 100, ?, ?, "
                            "now() - interval '2 minutes', now() - interval '1 minute', "
                            "now() + interval '1 hour')"),
             {id, stock, stock});
        if (redisStock == -2)
            return id;
        const auto loaded = awaitResult<redis::PreloadOutcome>([&](QObject *ctx, auto done) {
            m_scripts->preload(id, redisStock == -1 ? stock : redisStock, ctx, done);
        });
        if (!loaded || loaded->kind != redis::PreloadOutcome::Kind::Loaded)
            qFatal("preload of goods %lld failed", qlonglong(id));
        return id;
    }

    /// Users firstUser, firstUser + 1, ... each reserve one unit of \a goods, pipelined, the
    /// way the buy path does; fatal unless all are reserved. Returns the order messages'
    /// reservations.
    QList<amqp::Reservation> reserve(qint64 goods, qint64 firstUser, int count)
    {
        QList<amqp::Reservation> reservations;
        QObject context;
        int answered = 0;
        QString failure;
        for (int i = 0; i < count; ++i) {
            // At most 2000 in flight: a deeper pipeline outlasts the command timeout.
            if (i - answered >= 2000
                && !QTest::qWaitFor([&] { return i - answered < 1000; }, 60'000))
                qFatal("reserve: no replies");
            m_scripts->reserve(goods, firstUser + i, &context, [&](const redis::ReserveOutcome &o) {
                ++answered;
                if (o.kind != redis::ReserveOutcome::Kind::Reserved) {
                    failure = QStringLiteral("user %1: kind %2 %3")
                                  .arg(o.userId)
                                  .arg(int(o.kind))
                                  .arg(o.error);
                    return;
                }
                reservations.append(
                    {QString::fromLatin1(o.reservationId()), o.goodsId, o.userId, o.reservedAtMs});
            });
        }
        if (!QTest::qWaitFor([&] { return answered == count; }, 60'000) || !failure.isEmpty())
            qFatal("reserve failed: %s", qPrintable(failure));
        return reservations;
    }

    redis::ShopperStatus status(qint64 goods, qint64 user)
    {
        return awaitResult<redis::ShopperStatus>(
                   [&](QObject *ctx, auto done) { m_scripts->status(goods, user, ctx, done); })
            .value_or(redis::ShopperStatus {});
    }

    redis::SaleInventory inventory(qint64 goods)
    {
        return awaitResult<redis::SaleInventory>(
                   [&](QObject *ctx, auto done) { m_scripts->inventory(goods, ctx, done); })
            .value_or(redis::SaleInventory {});
    }

    redis::RollbackOutcome rollback(qint64 goods, qint64 user, redis::RollbackReason reason)
    {
        return awaitResult<redis::RollbackOutcome>([&](QObject *ctx, auto done) {
                   m_scripts->rollback(goods, user, reason, ctx, done);
               })
            .value_or(redis::RollbackOutcome {});
    }

    qint64 databaseStock(qint64 goods)
    {
        return scalar(QStringLiteral("SELECT stock FROM miaosha_goods WHERE goods_id = ?"),
                      {goods});
    }

    /// Orders of \a goods, all or those in \a status.
    qint64 orders(qint64 goods, const QString &status = {})
    {
        if (status.isEmpty())
            return scalar(QStringLiteral("SELECT count(*) FROM miaosha_order WHERE goods_id = ?"),
                          {goods});
        return scalar(QStringLiteral("SELECT count(*) FROM miaosha_order WHERE goods_id = ? "
                                     "AND status = ?"),
                      {goods, status});
    }

    /// userId -> order id of every order of \a goods.
    QHash<qint64, qint64> ordersByUser(qint64 goods)
    {
        QSqlQuery q(m_db);
        q.prepare(QStringLiteral("SELECT user_id, id FROM miaosha_order WHERE goods_id = ?"));
        q.addBindValue(goods);
        if (!q.exec())
            qFatal("%s", qPrintable(db::describeError(q)));
        QHash<qint64, qint64> byUser;
        while (q.next())
            byUser.insert(q.value(0).toLongLong(), q.value(1).toLongLong());
        return byUser;
    }

    /// Empty when every reservation's shopper has their order as their result in Redis,
    /// else the first one that does not.
    QString resultsMismatch(qint64 goods, const QList<amqp::Reservation> &reservations)
    {
        const QHash<qint64, qint64> byUser = ordersByUser(goods);
        QHash<qint64, redis::ShopperStatus> statuses;
        QObject context;
        int answered = 0;
        for (const amqp::Reservation &r : reservations) {
            m_scripts->status(
                goods, r.userId, &context,
                [&statuses, &answered, user = r.userId](const redis::ShopperStatus &s) {
                    statuses.insert(user, s);
                    ++answered;
                });
        }
        if (!QTest::qWaitFor([&] { return answered == reservations.size(); }, 60'000))
            return QStringLiteral("no status replies");
        for (const amqp::Reservation &r : reservations) {
            const redis::ShopperStatus s = statuses.value(r.userId);
            if (s.state != redis::ShopperStatus::State::Created || !byUser.contains(r.userId)
                || s.orderId != byUser.value(r.userId))
                return QStringLiteral("user %1: state %2 order %3, database order %4")
                    .arg(r.userId)
                    .arg(int(s.state))
                    .arg(s.orderId)
                    .arg(byUser.value(r.userId));
        }
        return {};
    }

    orders::OrderWorkerOptions workerOptions(const amqp::AmqpTopology &topology, int prefetch) const
    {
        orders::OrderWorkerOptions options;
        options.consumer.url = amqp::AmqpUrl::parse(TestServices::instance().amqpUrl()).value();
        options.consumer.topology = topology;
        options.consumer.prefetch = prefetch;
        options.database = db::DatabaseUrl::parse(m_databaseUrl).value();
        options.redisUrl = TestServices::instance().redisUrl();
        return options;
    }

    static amqp::PublisherOptions publisherOptions(const amqp::AmqpTopology &topology)
    {
        amqp::PublisherOptions options;
        options.url = amqp::AmqpUrl::parse(TestServices::instance().amqpUrl()).value();
        options.topology = topology;
        options.giveUpAfter = std::chrono::seconds(300);
        return options;
    }

    /// Broker objects of this test alone.
    static amqp::AmqpTopology freshTopology()
    {
        return amqp::AmqpTopology::withPrefix(
            QStringLiteral("t%1.").arg(QUuid::createUuid().toString(QUuid::Id128).left(12)));
    }

private:
    QString m_databaseUrl;
    QSqlDatabase m_db;
    std::unique_ptr<redis::Redis> m_redis;
    std::unique_ptr<redis::SaleScripts> m_scripts;
};

} // namespace flashsale::test
