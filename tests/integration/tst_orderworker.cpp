// OrderWorker end to end against real RabbitMQ and PostgreSQL: publisher -> queue ->
// workers -> orders, exactly once through a stopped worker and a broker restart.

#include "database.h"
#include "databaseurl.h"
#include "migrator.h"
#include "orderworker.h"
#include "reservationpublisher.h"
#include "testservices.h"

#include <QSqlQuery>
#include <QTest>
#include <QUuid>

using namespace flashsale;
using namespace flashsale::orders;
using namespace flashsale::amqp;
using namespace std::chrono_literals;

class tst_OrderWorker : public QObject
{
    Q_OBJECT

private:
    QString m_url;
    QSqlDatabase m_db;
    qint64 m_nextGoods = 1;

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

    void exec(const QString &sql, const QVariantList &values)
    {
        QSqlQuery q(m_db);
        q.prepare(sql);
        for (const QVariant &v : values)
            q.addBindValue(v);
        if (!q.exec())
            qFatal("%s: %s", qPrintable(sql), qPrintable(db::describeError(q)));
    }

    qint64 createSale(int stock)
    {
        const qint64 id = m_nextGoods++;
        exec(QStringLiteral("INSERT INTO goods (id, name, price_cents) VALUES (?, ?, 1000)"),
             {id, QStringLiteral("goods %1").arg(id)});
        exec(QStringLiteral("INSERT INTO miaosha_goods (goods_id, flash_price_cents, stock, "
                            "preloaded_stock) VALUES (?, 100, ?, ?)"),
             {id, stock, stock});
        return id;
    }

    qint64 orders(qint64 goods)
    {
        return scalar(QStringLiteral("SELECT count(*) FROM miaosha_order WHERE goods_id = ?"),
                      {goods});
    }

    OrderWorkerOptions workerOptions(const AmqpTopology &topology, int prefetch) const
    {
        OrderWorkerOptions options;
        options.consumer.url = AmqpUrl::parse(test::TestServices::instance().amqpUrl()).value();
        options.consumer.topology = topology;
        options.consumer.prefetch = prefetch;
        options.database = db::DatabaseUrl::parse(m_url).value();
        return options;
    }

    static PublisherOptions publisherOptions(const AmqpTopology &topology)
    {
        PublisherOptions options;
        options.url = AmqpUrl::parse(test::TestServices::instance().amqpUrl()).value();
        options.topology = topology;
        options.giveUpAfter = 300s;
        return options;
    }

    static AmqpTopology freshTopology()
    {
        return AmqpTopology::withPrefix(
            QStringLiteral("w%1.").arg(QUuid::createUuid().toString(QUuid::Id128).left(12)));
    }

    static Reservation reservation(qint64 goods, int i)
    {
        return {QStringLiteral("g%1-%2").arg(goods).arg(i), goods, 100'000 + i, 1718000000000 + i};
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_url = test::TestServices::instance().createDatabase();
        const auto opened =
            db::openDatabase(db::DatabaseUrl::parse(m_url).value(), QStringLiteral("main"));
        QVERIFY2(opened.ok(), qPrintable(opened.error()));
        m_db = opened.value();
        const Result<int> applied = db::Migrator(m_db).migrate();
        QVERIFY2(applied.ok(), qPrintable(applied.error()));
    }

    void cleanupTestCase()
    {
        m_db = QSqlDatabase();
        db::closeDatabase(QStringLiteral("main"));
    }

    // 10,000 reservations -> exactly 10,000 orders, by two workers on the same product.
    void tenThousandReservationsTwoWorkers()
    {
        constexpr int count = 10'000;
        const qint64 goods = createSale(count + 500);
        const AmqpTopology topology = freshTopology();
        OrderWorker first(workerOptions(topology, 5));
        OrderWorker second(workerOptions(topology, 5));
        first.start();
        second.start();
        ReservationPublisher publisher(publisherOptions(topology));
        publisher.start();
        for (int i = 0; i < count; ++i)
            publisher.publish(reservation(goods, i), nullptr, {});

        QTRY_COMPARE_WITH_TIMEOUT(orders(goods), count, 120'000);
        QTRY_COMPARE_WITH_TIMEOUT(first.stats().ordersCreated + second.stats().ordersCreated, count,
                                  10'000);
        QCOMPARE(publisher.stats().reservationsConfirmed.load(), count);
        QCOMPARE(
            scalar(QStringLiteral("SELECT stock FROM miaosha_goods WHERE goods_id = ?"), {goods}),
            500);
        QCOMPARE(scalar(QStringLiteral("SELECT preloaded_stock - stock FROM miaosha_goods "
                                       "WHERE goods_id = ?"),
                        {goods}),
                 orders(goods));
        QVERIFY(first.stats().ordersCreated > 0);
        QVERIFY(second.stats().ordersCreated > 0);
        // Every stock update bumped the version once: never more than the transactions.
        const qint64 version =
            scalar(QStringLiteral("SELECT version FROM miaosha_goods WHERE goods_id = ?"), {goods});
        QVERIFY(version >= 1);
        QVERIFY(version <= first.stats().transactions + second.stats().transactions);
        qInfo() << "transactions:" << first.stats().transactions.load() << "+"
                << second.stats().transactions.load()
                << "version conflicts so far:" << OrderRepository::versionConflicts();
    }

    // A worker stopped mid-run (its unacked batches go back to the queue) and RabbitMQ
    // restarted mid-run: every reservation still ends as exactly one order.
    void exactlyOnceThroughAStoppedWorkerAndABrokerRestart()
    {
        constexpr int count = 6000;
        const qint64 goods = createSale(count);
        const AmqpTopology topology = freshTopology();
        auto doomed = std::make_unique<OrderWorker>(workerOptions(topology, 20));
        OrderWorker survivor(workerOptions(topology, 20));
        doomed->start();
        survivor.start();
        ReservationPublisher publisher(publisherOptions(topology));
        publisher.start();

        int next = 0;
        auto publishSome = [&](int n) {
            for (int end = std::min(count, next + n); next < end; ++next)
                publisher.publish(reservation(goods, next), nullptr, {});
        };
        // Stream in; stop one worker while batches are in flight.
        while (next < count / 3) {
            publishSome(50);
            QTest::qWait(5);
        }
        QTRY_VERIFY_WITH_TIMEOUT(doomed->stats().ordersCreated > 0, 30'000);
        const qint64 doomedRedelivered = doomed->consumerStats().received
            - doomed->consumerStats().acked - doomed->consumerStats().retried
            - doomed->consumerStats().deadLettered;
        doomed.reset();
        qInfo() << "stopped a worker with about" << doomedRedelivered << "unacked deliveries";

        std::atomic<bool> restarted {false};
        std::unique_ptr<QThread> restarter(QThread::create([&restarted] {
            test::TestServices::instance().stack(
                {QStringLiteral("restart"), QStringLiteral("rabbitmq")});
            restarted = true;
        }));
        restarter->start();
        while (!restarted) {
            if (next < count - 1000) // the last thousand go to the restarted broker
                publishSome(10);
            QTest::qWait(10);
        }
        restarter->wait();
        publishSome(count);
        QTRY_VERIFY_WITH_TIMEOUT(survivor.consumerStats().connects >= 2, 60'000);

        QTRY_COMPARE_WITH_TIMEOUT(publisher.stats().reservationsConfirmed.load(), count, 180'000);
        QTRY_COMPARE_WITH_TIMEOUT(orders(goods), count, 180'000);
        QTest::qWait(1000); // late redeliveries must not add anything
        QCOMPARE(orders(goods), count);
        QCOMPARE(
            scalar(QStringLiteral("SELECT stock FROM miaosha_goods WHERE goods_id = ?"), {goods}),
            0);
        QCOMPARE(scalar(QStringLiteral("SELECT count(DISTINCT reservation) FROM miaosha_order "
                                       "WHERE goods_id = ?"),
                        {goods}),
                 count);
        qInfo() << "survivor: created" << survivor.stats().ordersCreated.load() << "already created"
                << survivor.stats().alreadyCreated.load() << "redelivered"
                << survivor.consumerStats().redelivered.load() << "publisher republished"
                << publisher.stats().republished.load();
    }

    void poisonGoesToTheDeadLetterQueue()
    {
        const AmqpTopology topology = freshTopology();
        OrderWorker worker(workerOptions(topology, 10));
        worker.start();
        AmqpConnection connection;
        QVERIFY(
            connection.open(AmqpUrl::parse(test::TestServices::instance().amqpUrl()).value(), 3s, 0)
                .ok());
        QVERIFY(connection.declare(topology).ok());
        QVERIFY(connection
                    .publish(topology.exchange, topology.routingKey,
                             QByteArrayLiteral("{\"v\":1,\"reservations\":[{\"id\":1}]}"))
                    .ok());
        QTRY_COMPARE_WITH_TIMEOUT(worker.stats().poisonMessages.load(), 1, 20'000);

        ConsumerOptions deadOptions;
        deadOptions.url = AmqpUrl::parse(test::TestServices::instance().amqpUrl()).value();
        deadOptions.topology = topology;
        deadOptions.queue = topology.deadLetterQueue;
        AmqpConsumer dead(deadOptions);
        QList<QByteArray> bodies;
        connect(&dead, &AmqpConsumer::received, this, [&](const QList<Delivery> &batch) {
            for (const Delivery &d : batch)
                bodies.append(d.body);
            dead.ack(batch);
        });
        dead.start();
        QTRY_COMPARE_WITH_TIMEOUT(bodies.size(), 1, 20'000);
        QVERIFY(bodies.first().contains("\"id\":1"));
    }
};

QTEST_GUILESS_MAIN(tst_OrderWorker)
#include "tst_orderworker.moc"
