// The dead-letter queue's compensation against real RabbitMQ, PostgreSQL and Redis: a
// poison reservation ends in the dead-letter queue and its unit is back in stock; one whose
// order exists after all gets that order; unreadable messages are dropped, loudly.

#include "amqpconnection.h"
#include "deadlettercompensator.h"
#include "ordertestsupport.h"
#include "orderworker.h"
#include "reservationcodec.h"
#include "reservationpublisher.h"

#include <QTest>

using namespace flashsale;
using namespace flashsale::orders;
using namespace flashsale::amqp;
using namespace std::chrono_literals;
using redis::ShopperStatus;

class tst_DeadLetterCompensator : public QObject
{
    Q_OBJECT

private:
    test::OrderFixture m_fixture;

    DeadLetterOptions compensatorOptions(const AmqpTopology &topology) const
    {
        DeadLetterOptions options;
        options.consumer = m_fixture.workerOptions(topology, 10).consumer;
        options.database = db::DatabaseUrl::parse(m_fixture.databaseUrl()).value();
        options.redisUrl = test::TestServices::instance().redisUrl();
        return options;
    }

    static void publishDead(const AmqpTopology &topology, const QByteArray &body)
    {
        AmqpConnection connection;
        QVERIFY(
            connection.open(AmqpUrl::parse(test::TestServices::instance().amqpUrl()).value(), 3s, 0)
                .ok());
        QVERIFY(connection.declare(topology).ok());
        QVERIFY(connection.publish(topology.deadLetterExchange, topology.routingKey, body).ok());
    }

private Q_SLOTS:
    void initTestCase() { m_fixture.open(); }
    void cleanupTestCase() { m_fixture.close(); }

    // The database refuses one shopper's order every time (a trigger): that reservation
    // goes to the dead-letter queue alone (its batch-mates get their orders), and the
    // compensator gives its unit back in Redis and records "failed".
    void poisonReservationGetsItsUnitBack()
    {
        const qint64 goods = m_fixture.createSale(10);
        const QList<Reservation> reservations = m_fixture.reserve(goods, 500'000, 3);
        const qint64 poisonUser = reservations.at(1).userId;
        m_fixture.exec(QStringLiteral("CREATE OR REPLACE FUNCTION refuse_poison() RETURNS trigger "
                                      "LANGUAGE plpgsql AS $$ BEGIN IF NEW.user_id = %1 THEN "
                                      "RAISE EXCEPTION 'poison order'; END IF; RETURN NEW; END $$")
                           .arg(poisonUser));
        m_fixture.exec(QStringLiteral("CREATE TRIGGER refuse_poison BEFORE INSERT ON miaosha_order "
                                      "FOR EACH ROW EXECUTE FUNCTION refuse_poison()"));
        QCOMPARE(m_fixture.inventory(goods).stock, 7);

        const AmqpTopology topology = test::OrderFixture::freshTopology();
        OrderWorkerOptions workerOptions = m_fixture.workerOptions(topology, 10);
        workerOptions.consumer.maxAttempts = 2;
        OrderWorker worker(workerOptions);
        worker.start();
        DeadLetterCompensator compensator(compensatorOptions(topology));
        compensator.start();
        ReservationPublisher publisher(test::OrderFixture::publisherOptions(topology));
        publisher.start();
        for (const Reservation &r : reservations)
            publisher.publish(r, nullptr, {});

        QTRY_COMPARE_WITH_TIMEOUT(compensator.stats().resultsFailed.load(), 1, 60'000);
        QCOMPARE(compensator.stats().unitsReturned.load(), 1);
        QCOMPARE(worker.consumerStats().deadLettered.load(), 1);
        QVERIFY(worker.stats().failedBatches >= 1);
        QCOMPARE(m_fixture.orders(goods), 2);
        QCOMPARE(m_fixture.databaseStock(goods), 8);
        const redis::SaleInventory inventory = m_fixture.inventory(goods);
        QCOMPARE(inventory.stock, 8); // the poison unit is back
        QCOMPARE(inventory.pending, 0);
        const ShopperStatus poison = m_fixture.status(goods, poisonUser);
        QCOMPARE(poison.state, ShopperStatus::State::Failed);
        QCOMPARE(poison.reason, QByteArray("failed"));
        QCOMPARE(m_fixture.status(goods, reservations.at(0).userId).state,
                 ShopperStatus::State::Created);
        QCOMPARE(m_fixture.status(goods, reservations.at(2).userId).state,
                 ShopperStatus::State::Created);
        m_fixture.exec(QStringLiteral("DROP TRIGGER refuse_poison ON miaosha_order"));
    }

    // A message that died after its order was committed (say in the Redis step): the
    // shopper gets the order as their result; no unit is given back.
    void deadMessageWithAnOrderConfirmsIt()
    {
        const qint64 goods = m_fixture.createSale(10);
        const QList<Reservation> reservations = m_fixture.reserve(goods, 600'000, 1);
        OrderRepository repository(m_fixture.database());
        const Result<QList<OrderOutcome>> made = repository.createOrders(reservations);
        QVERIFY2(made.ok(), qPrintable(made.error()));
        QCOMPARE(made->first().kind, OrderOutcome::Kind::Created);

        const AmqpTopology topology = test::OrderFixture::freshTopology();
        DeadLetterCompensator compensator(compensatorOptions(topology));
        compensator.start();
        publishDead(topology, ReservationCodec::encode(reservations));
        QTRY_COMPARE_WITH_TIMEOUT(compensator.stats().ordersFound.load(), 1, 30'000);
        QCOMPARE(compensator.stats().unitsReturned.load(), 0);
        const ShopperStatus s = m_fixture.status(goods, reservations.first().userId);
        QCOMPARE(s.state, ShopperStatus::State::Created);
        QCOMPARE(s.orderId, made->first().orderId);
        QCOMPARE(m_fixture.inventory(goods).stock, 9);
        QCOMPARE(m_fixture.inventory(goods).pending, 0);

        // The same message again (a redelivery) changes nothing.
        publishDead(topology, ReservationCodec::encode(reservations));
        QTRY_COMPARE_WITH_TIMEOUT(compensator.stats().messages.load(), 2, 30'000);
        QCOMPARE(m_fixture.inventory(goods).stock, 9);
        QCOMPARE(m_fixture.status(goods, reservations.first().userId).orderId,
                 made->first().orderId);
    }

    void unreadableDeadMessageIsDropped()
    {
        const AmqpTopology topology = test::OrderFixture::freshTopology();
        DeadLetterCompensator compensator(compensatorOptions(topology));
        compensator.start();
        publishDead(topology, QByteArrayLiteral("not json"));
        QTRY_COMPARE_WITH_TIMEOUT(compensator.stats().unreadable.load(), 1, 30'000);
        QCOMPARE(compensator.stats().unitsReturned.load(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_DeadLetterCompensator)
#include "tst_deadlettercompensator.moc"
