// OrderWorker end to end against real RabbitMQ, PostgreSQL and Redis: reservations made in
// Redis -> publisher -> queue -> workers -> orders -> shoppers' results in Redis, exactly
// once through a stopped worker and broker and Redis restarts.

#include "amqpconnection.h"
#include "ordertestsupport.h"
#include "orderworker.h"
#include "reservationpublisher.h"

#include <QTest>

using namespace flashsale;
using namespace flashsale::orders;
using namespace flashsale::amqp;
using namespace std::chrono_literals;
using redis::ShopperStatus;

class tst_OrderWorker : public QObject
{
    Q_OBJECT

private:
    test::OrderFixture m_fixture;

    static void publishAll(ReservationPublisher &publisher, const QList<Reservation> &batch)
    {
        for (const Reservation &r : batch)
            publisher.publish(r, nullptr, {});
    }

private Q_SLOTS:
    void initTestCase() { m_fixture.open(); }
    void cleanupTestCase() { m_fixture.close(); }

    // 10,000 reservations -> exactly 10,000 orders, by two workers on the same product, and
    // every shopper's result in Redis is their order.
    void tenThousandReservationsTwoWorkers()
    {
        constexpr int count = 10'000;
        const qint64 goods = m_fixture.createSale(count + 500);
        const QList<Reservation> reservations = m_fixture.reserve(goods, 100'000, count);
        const AmqpTopology topology = test::OrderFixture::freshTopology();
        OrderWorker first(m_fixture.workerOptions(topology, 5));
        OrderWorker second(m_fixture.workerOptions(topology, 5));
        first.start();
        second.start();
        ReservationPublisher publisher(test::OrderFixture::publisherOptions(topology));
        publisher.start();
        publishAll(publisher, reservations);

        QTRY_COMPARE_WITH_TIMEOUT(m_fixture.orders(goods), count, 120'000);
        QTRY_COMPARE_WITH_TIMEOUT(first.stats().resultsConfirmed + second.stats().resultsConfirmed,
                                  count, 30'000);
        QCOMPARE(first.stats().ordersCreated + second.stats().ordersCreated, count);
        QCOMPARE(publisher.stats().reservationsConfirmed.load(), count);
        QCOMPARE(m_fixture.databaseStock(goods), 500);
        QCOMPARE(m_fixture.scalar(QStringLiteral("SELECT preloaded_stock - stock FROM "
                                                 "miaosha_goods WHERE goods_id = ?"),
                                  {goods}),
                 m_fixture.orders(goods));
        QVERIFY(first.stats().ordersCreated > 0);
        QVERIFY(second.stats().ordersCreated > 0);
        // Every stock update bumped the version once: never more than the transactions.
        const qint64 version = m_fixture.scalar(
            QStringLiteral("SELECT version FROM miaosha_goods WHERE goods_id = ?"), {goods});
        QVERIFY(version >= 1);
        QVERIFY(version <= first.stats().transactions + second.stats().transactions);
        // Redis: every result is the shopper's order, nothing pending, stock as the database's.
        QCOMPARE(m_fixture.resultsMismatch(goods, reservations), QString());
        const redis::SaleInventory inventory = m_fixture.inventory(goods);
        QVERIFY(inventory.ok);
        QCOMPARE(inventory.pending, 0);
        QCOMPARE(inventory.stock, 500);
        qInfo() << "transactions:" << first.stats().transactions.load() << "+"
                << second.stats().transactions.load()
                << "version conflicts so far:" << OrderRepository::versionConflicts();
    }

    // A worker stopped mid-run (its unacked batches go back to the queue), RabbitMQ
    // restarted and Redis restarted mid-run: every reservation still ends as exactly one
    // order, and every shopper's result in Redis is that order.
    void exactlyOnceThroughAStoppedWorkerAndRestarts()
    {
        constexpr int count = 6000;
        const qint64 goods = m_fixture.createSale(count);
        const QList<Reservation> reservations = m_fixture.reserve(goods, 200'000, count);
        const AmqpTopology topology = test::OrderFixture::freshTopology();
        auto doomed = std::make_unique<OrderWorker>(m_fixture.workerOptions(topology, 20));
        OrderWorker survivor(m_fixture.workerOptions(topology, 20));
        doomed->start();
        survivor.start();
        ReservationPublisher publisher(test::OrderFixture::publisherOptions(topology));
        publisher.start();

        int next = 0;
        auto publishSome = [&](int n) {
            for (int end = std::min(count, next + n); next < end; ++next)
                publisher.publish(reservations.at(next), nullptr, {});
        };
        // Stream in; stop one worker while batches are in flight.
        while (next < count / 4) {
            publishSome(50);
            QTest::qWait(5);
        }
        QTRY_VERIFY_WITH_TIMEOUT(doomed->stats().ordersCreated > 0, 30'000);
        const qint64 doomedUnacked = doomed->consumerStats().received
            - doomed->consumerStats().acked - doomed->consumerStats().retried
            - doomed->consumerStats().deadLettered;
        doomed.reset();
        qInfo() << "stopped a worker with about" << doomedUnacked << "unacked deliveries";

        // Restart a service while publishing goes on.
        auto publishThroughRestart = [&](const QString &service, int leaveForAfter) {
            std::atomic<bool> restarted {false};
            std::unique_ptr<QThread> restarter(QThread::create([&restarted, service] {
                test::TestServices::instance().stack({QStringLiteral("restart"), service});
                restarted = true;
            }));
            restarter->start();
            while (!restarted) {
                if (next < count - leaveForAfter)
                    publishSome(10);
                QTest::qWait(10);
            }
            restarter->wait();
        };
        publishThroughRestart(QStringLiteral("rabbitmq"), 2000);
        QTRY_VERIFY_WITH_TIMEOUT(survivor.consumerStats().connects >= 2, 60'000);
        publishThroughRestart(QStringLiteral("redis"), 1000);
        publishSome(count);

        QTRY_COMPARE_WITH_TIMEOUT(publisher.stats().reservationsConfirmed.load(), count, 180'000);
        QTRY_COMPARE_WITH_TIMEOUT(m_fixture.orders(goods), count, 180'000);
        QTRY_COMPARE_WITH_TIMEOUT(m_fixture.inventory(goods).pending, 0, 60'000);
        QTest::qWait(1000); // late redeliveries must not add anything
        QCOMPARE(m_fixture.orders(goods), count);
        QCOMPARE(m_fixture.databaseStock(goods), 0);
        QCOMPARE(m_fixture.scalar(QStringLiteral("SELECT count(DISTINCT reservation) FROM "
                                                 "miaosha_order WHERE goods_id = ?"),
                                  {goods}),
                 count);
        QCOMPARE(m_fixture.resultsMismatch(goods, reservations), QString());
        QCOMPARE(m_fixture.inventory(goods).stock, 0);
        qInfo() << "survivor: created" << survivor.stats().ordersCreated.load() << "already created"
                << survivor.stats().alreadyCreated.load() << "redelivered"
                << survivor.consumerStats().redelivered.load() << "Redis steps retried"
                << survivor.stats().redisFailures.load() << "publisher republished"
                << publisher.stats().republished.load();
    }

    // The database has less stock than Redis handed out (drift): the reservations that
    // find none get their unit back in Redis and the result "failed".
    void reservationsWithoutAnOrderGetTheirUnitBack()
    {
        const qint64 goods = m_fixture.createSale(3, 5);
        const QList<Reservation> reservations = m_fixture.reserve(goods, 300'000, 5);
        const AmqpTopology topology = test::OrderFixture::freshTopology();
        OrderWorker worker(m_fixture.workerOptions(topology, 10));
        worker.start();
        ReservationPublisher publisher(test::OrderFixture::publisherOptions(topology));
        publisher.start();
        publishAll(publisher, reservations);

        QTRY_COMPARE_WITH_TIMEOUT(worker.stats().unitsReturned.load(), 2, 30'000);
        QCOMPARE(m_fixture.orders(goods), 3);
        QCOMPARE(m_fixture.databaseStock(goods), 0);
        const redis::SaleInventory inventory = m_fixture.inventory(goods);
        QCOMPARE(inventory.stock, 2);
        QCOMPARE(inventory.pending, 0);
        QVERIFY(!inventory.soldOut);
        int failed = 0;
        for (const Reservation &r : reservations) {
            const ShopperStatus s = m_fixture.status(goods, r.userId);
            if (s.state == ShopperStatus::State::Failed) {
                QCOMPARE(s.reason, QByteArray("failed"));
                ++failed;
            } else {
                QCOMPARE(s.state, ShopperStatus::State::Created);
            }
        }
        QCOMPARE(failed, 2);
    }

    // A reservation rolled back in Redis (its unit returned) before its order was confirmed:
    // the worker cancels the order, so the database gets the unit back too.
    void orderOfARolledBackReservationIsCancelled()
    {
        const qint64 goods = m_fixture.createSale(10);
        const QList<Reservation> reservations = m_fixture.reserve(goods, 400'000, 2);
        QCOMPARE(m_fixture.rollback(goods, reservations.at(0).userId, redis::RollbackReason::Failed)
                     .kind,
                 redis::RollbackOutcome::Kind::Returned);
        const AmqpTopology topology = test::OrderFixture::freshTopology();
        OrderWorker worker(m_fixture.workerOptions(topology, 10));
        worker.start();
        ReservationPublisher publisher(test::OrderFixture::publisherOptions(topology));
        publisher.start();
        publishAll(publisher, reservations);

        QTRY_COMPARE_WITH_TIMEOUT(worker.stats().ordersCompensated.load(), 1, 30'000);
        QTRY_COMPARE_WITH_TIMEOUT(worker.stats().resultsConfirmed.load(), 1, 10'000);
        QCOMPARE(m_fixture.orders(goods, QStringLiteral("cancelled")), 1);
        QCOMPARE(m_fixture.orders(goods, QStringLiteral("created")), 1);
        QCOMPARE(m_fixture.databaseStock(goods), 9);
        QCOMPARE(m_fixture.inventory(goods).stock, 9);
        QCOMPARE(m_fixture.status(goods, reservations.at(0).userId).state,
                 ShopperStatus::State::Failed);
        QCOMPARE(m_fixture.status(goods, reservations.at(1).userId).state,
                 ShopperStatus::State::Created);
    }

    void poisonGoesToTheDeadLetterQueue()
    {
        const AmqpTopology topology = test::OrderFixture::freshTopology();
        OrderWorker worker(m_fixture.workerOptions(topology, 10));
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
