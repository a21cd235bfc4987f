// The Reconciler against real Redis, RabbitMQ and PostgreSQL: a reservation whose publish
// never happened becomes its order; drift between Redis and the database is measured.

#include "ordertestsupport.h"
#include "orderworker.h"
#include "reconciler.h"
#include "reservationpublisher.h"
#include "salekeys.h"

#include <QSignalSpy>
#include <QTest>

using namespace flashsale;
using namespace flashsale::orders;
using namespace flashsale::amqp;
using namespace std::chrono_literals;
using redis::ShopperStatus;

class tst_Reconciler : public QObject
{
    Q_OBJECT

private:
    test::OrderFixture m_fixture;

    ReconcilerOptions options(const AmqpTopology &topology, std::chrono::milliseconds after) const
    {
        ReconcilerOptions o;
        o.database = db::DatabaseUrl::parse(m_fixture.databaseUrl()).value();
        o.redisUrl = test::TestServices::instance().redisUrl();
        o.publisher = test::OrderFixture::publisherOptions(topology);
        o.republishAfter = after;
        o.interval = 3600s; // rounds run when the test says
        return o;
    }

    static std::optional<SaleDrift> driftOf(const QList<SaleDrift> &all, qint64 goods)
    {
        for (const SaleDrift &d : all) {
            if (d.goodsId == goods)
                return d;
        }
        return std::nullopt;
    }

    QList<SaleDrift> round(Reconciler &reconciler)
    {
        QSignalSpy spy(&reconciler, &Reconciler::reconciled);
        // Redis may still be connecting: try until a round completes.
        const bool ok = QTest::qWaitFor(
            [&] {
                if (spy.isEmpty())
                    reconciler.reconcileNow();
                return !spy.isEmpty();
            },
            20'000);
        if (!ok)
            qFatal("no reconciler round");
        return spy.first().first().value<QList<SaleDrift>>();
    }

private Q_SLOTS:
    void initTestCase() { m_fixture.open(); }
    void cleanupTestCase() { m_fixture.close(); }

    // Four shoppers reserve; only two reservations are published (the API instance died
    // before publishing the others). The reconciler publishes the two lost ones once they
    // are older than T, and all four end as orders; young ones are left alone.
    void lostPublishIsRecovered()
    {
        const qint64 goods = m_fixture.createSale(10);
        const QList<Reservation> reservations = m_fixture.reserve(goods, 800'000, 4);
        const AmqpTopology topology = test::OrderFixture::freshTopology();
        OrderWorker worker(m_fixture.workerOptions(topology, 10));
        worker.start();
        ReservationPublisher publisher(test::OrderFixture::publisherOptions(topology));
        publisher.start();
        publisher.publish(reservations.at(0), nullptr, {});
        publisher.publish(reservations.at(2), nullptr, {});
        QTRY_COMPARE_WITH_TIMEOUT(worker.stats().resultsConfirmed.load(), 2, 30'000);

        // T long: nothing is old enough yet.
        Reconciler patient(options(topology, 3600s));
        patient.start();
        const QList<SaleDrift> before = round(patient);
        QCOMPARE(patient.stats().republished.load(), 0);
        const std::optional<SaleDrift> d = driftOf(before, goods);
        QVERIFY(d.has_value());
        QCOMPARE(d->redisPending, 2);
        QCOMPARE(d->liveOrders, 2);
        QCOMPARE(d->redisStock, 6);
        QCOMPARE(d->drift(), 0);
        QCOMPARE(d->databaseDrift(), 0);
        patient.stop();

        Reconciler reconciler(options(topology, 1ms));
        reconciler.start();
        round(reconciler);
        QTRY_COMPARE_WITH_TIMEOUT(reconciler.stats().republished.load(), 2, 30'000);
        QTRY_COMPARE_WITH_TIMEOUT(m_fixture.orders(goods), 4, 30'000);
        QTRY_COMPARE_WITH_TIMEOUT(m_fixture.inventory(goods).pending, 0, 30'000);
        QCOMPARE(m_fixture.resultsMismatch(goods, reservations), QString());
        QCOMPARE(m_fixture.databaseStock(goods), 6);

        // Nothing pending any more: the next round republishes nothing, and no drift.
        const QList<SaleDrift> after = round(reconciler);
        QCOMPARE(reconciler.stats().republished.load(), 2);
        QCOMPARE(driftOf(after, goods)->drift(), 0);
        QCOMPARE(driftOf(after, goods)->liveOrders, 4);
        QCOMPARE(reconciler.lastDrift().size(), after.size());
    }

    // Units that vanished from Redis (or appeared) show as drift.
    void driftIsReported()
    {
        const qint64 goods = m_fixture.createSale(20);
        m_fixture.reserve(goods, 810'000, 3);
        // Redis loses two units (say, a restore from an old backup).
        const redis::RedisReply reply =
            test::awaitReply(*m_fixture.redis(), {"DECRBY", redis::SaleKeys(goods).stock, "2"});
        QCOMPARE(reply.toInteger(), 15);
        Reconciler reconciler(options(test::OrderFixture::freshTopology(), 3600s));
        reconciler.start();
        const std::optional<SaleDrift> d = driftOf(round(reconciler), goods);
        QVERIFY(d.has_value());
        QVERIFY(d->inRedis);
        QCOMPARE(d->redisStock, 15);
        QCOMPARE(d->redisPending, 3);
        QCOMPARE(d->liveOrders, 0);
        QCOMPARE(d->preloadedStock, 20);
        QCOMPARE(d->drift(), -2);
        QCOMPARE(d->databaseDrift(), 0);
        QVERIFY(reconciler.stats().salesWithDrift >= 1);
    }
};

QTEST_GUILESS_MAIN(tst_Reconciler)
#include "tst_reconciler.moc"
