// OrderRepository against a real PostgreSQL: idempotent orders, stock under the optimistic
// lock, and two workers on the same product at once.

#include "database.h"
#include "orderrepository.h"
#include "sqltestdatabase.h"

#include <QSemaphore>
#include <QSet>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

using namespace flashsale;
using namespace flashsale::orders;
using amqp::Reservation;
using Kind = OrderOutcome::Kind;

class tst_OrderRepository : public QObject
{
    Q_OBJECT

private:
    test::SqlTestDatabase m_sql;

    QSqlDatabase open(const QString &name) const { return m_sql.open(name); }
    QSqlQuery exec(const QString &sql, const QVariantList &values = {})
    {
        return m_sql.exec(sql, values);
    }
    qint64 createSale(int stock) { return m_sql.createSale(stock, 250); }
    qint64 scalar(const QString &sql, const QVariantList &values = {})
    {
        return m_sql.scalar(sql, values);
    }

    qint64 stock(qint64 goods)
    {
        return scalar(QStringLiteral("SELECT stock FROM miaosha_goods WHERE goods_id = ?"),
                      {goods});
    }
    qint64 version(qint64 goods)
    {
        return scalar(QStringLiteral("SELECT version FROM miaosha_goods WHERE goods_id = ?"),
                      {goods});
    }
    qint64 orderCount(qint64 goods)
    {
        return scalar(QStringLiteral("SELECT count(*) FROM miaosha_order WHERE goods_id = ?"),
                      {goods});
    }

    static QList<Reservation> reservations(qint64 goods, int from, int to)
    {
        QList<Reservation> list;
        for (int i = from; i < to; ++i)
            list.append({QStringLiteral("g%1-r%2").arg(goods).arg(i), goods, 10'000 + i,
                         1718000000000 + i});
        return list;
    }

private Q_SLOTS:
    void initTestCase() { m_sql.create(); }
    void cleanupTestCase() { m_sql.close(); }

    void createsOrdersOnceAndTakesStock()
    {
        const qint64 goods = createSale(100);
        OrderRepository repository(m_sql.main());
        const QList<Reservation> batch = reservations(goods, 0, 50);
        const auto first = repository.createOrders(batch);
        QVERIFY2(first.ok(), qPrintable(first.error()));
        QCOMPARE(first->size(), 50);
        QSet<qint64> orderIds;
        for (qsizetype i = 0; i < first->size(); ++i) {
            const OrderOutcome &o = first->at(i);
            QCOMPARE(o.reservation, batch.at(i).id);
            QCOMPARE(o.kind, Kind::Created);
            QVERIFY(o.orderId > 0);
            orderIds.insert(o.orderId);
        }
        QCOMPARE(orderIds.size(), 50);
        QCOMPARE(stock(goods), 50);
        QCOMPARE(version(goods), 1);
        QCOMPARE(
            scalar(QStringLiteral("SELECT min(price_cents) FROM miaosha_order WHERE goods_id = ?"),
                   {goods}),
            250);

        // Redelivered: the same orders, nothing taken twice.
        const auto again = repository.createOrders(batch);
        QVERIFY2(again.ok(), qPrintable(again.error()));
        for (qsizetype i = 0; i < again->size(); ++i) {
            QCOMPARE(again->at(i).kind, Kind::AlreadyCreated);
            QCOMPARE(again->at(i).orderId, first->at(i).orderId);
        }
        QCOMPARE(stock(goods), 50);
        QCOMPARE(version(goods), 1);
        QCOMPARE(orderCount(goods), 50);
    }

    void conflictsAreReportedPerReservation()
    {
        const qint64 goods = createSale(10);
        OrderRepository repository(m_sql.main());
        QList<Reservation> batch = reservations(goods, 0, 2);
        batch.append(batch.first()); // the same reservation twice in one batch
        const Reservation sameShopper {QStringLiteral("other"), goods, batch.first().userId,
                                       batch.first().reservedAtMs + 100};
        batch.append(sameShopper);
        const Reservation nowhere {QStringLiteral("nowhere"), 999'999, 1, 1};
        batch.append(nowhere);
        const auto outcomes = repository.createOrders(batch);
        QVERIFY2(outcomes.ok(), qPrintable(outcomes.error()));
        QCOMPARE(outcomes->size(), 4);
        QCOMPARE(outcomes->at(0).kind, Kind::Created);
        QCOMPARE(outcomes->at(1).kind, Kind::Created);
        QCOMPARE(outcomes->at(2).kind, Kind::UserAlreadyOrdered);
        QCOMPARE(outcomes->at(2).reservation, QStringLiteral("other"));
        QVERIFY(!outcomes->at(2).hasOrder());
        QCOMPARE(outcomes->at(3).kind, Kind::UnknownGoods);
        QCOMPARE(stock(goods), 8);
        QCOMPARE(orderCount(goods), 2);
    }

    void neverSellsMoreThanTheStock()
    {
        const qint64 goods = createSale(10);
        OrderRepository repository(m_sql.main());
        QList<Reservation> batch = reservations(goods, 0, 15);
        std::reverse(batch.begin(), batch.end()); // input order is not reservation order
        const auto outcomes = repository.createOrders(batch);
        QVERIFY2(outcomes.ok(), qPrintable(outcomes.error()));
        int created = 0;
        for (const OrderOutcome &o : *outcomes) {
            const int index = o.reservation.section(u'r', -1).toInt();
            // The ten earliest reservations win.
            QCOMPARE(o.kind, index < 10 ? Kind::Created : Kind::SoldOut);
            created += o.kind == Kind::Created;
        }
        QCOMPARE(created, 10);
        QCOMPARE(stock(goods), 0);
        QCOMPARE(orderCount(goods), 10);
        const auto more = repository.createOrders(reservations(goods, 100, 101));
        QVERIFY(more.ok());
        QCOMPARE(more->first().kind, Kind::SoldOut);
        QCOMPARE(orderCount(goods), 10);
    }

    void hostileReservationIdsAreData()
    {
        const qint64 goods = createSale(5);
        OrderRepository repository(m_sql.main());
        const QStringList ids {QStringLiteral("a\"b"), QStringLiteral("c\\d"),
                               QStringLiteral("e'); DROP TABLE miaosha_order; --"),
                               QStringLiteral("{f,g}"), QStringLiteral("ü n i c ø d e")};
        QList<Reservation> batch;
        for (qsizetype i = 0; i < ids.size(); ++i)
            batch.append({ids.at(i), goods, 500 + i, 1});
        const auto outcomes = repository.createOrders(batch);
        QVERIFY2(outcomes.ok(), qPrintable(outcomes.error()));
        for (const OrderOutcome &o : *outcomes)
            QCOMPARE(o.kind, Kind::Created);
        for (const QString &id : ids)
            QCOMPARE(
                scalar(QStringLiteral("SELECT count(*) FROM miaosha_order WHERE reservation = ?"),
                       {id}),
                1);
        const auto again = repository.createOrders(batch);
        QVERIFY(again.ok());
        for (const OrderOutcome &o : *again)
            QCOMPARE(o.kind, Kind::AlreadyCreated);
    }

    void twoWorkersOnTheSameGoods_data()
    {
        QTest::addColumn<int>("stockUnits");
        QTest::addColumn<int>("reservationCount");
        QTest::newRow("enough stock") << 4000 << 4000;
        QTest::newRow("oversubscribed") << 3000 << 4000;
    }

    // Two connections drain overlapping halves of the same reservations (each sees some of
    // the other's, as after a redelivery) in small batches, at once.
    void twoWorkersOnTheSameGoods()
    {
        QFETCH(int, stockUnits);
        QFETCH(int, reservationCount);
        const qint64 goods = createSale(stockUnits);
        const QList<Reservation> all = reservations(goods, 0, reservationCount);
        const qint64 conflictsBefore = OrderRepository::versionConflicts();
        QSemaphore ready;
        QSemaphore go;
        QList<QString> errors;
        QMutex errorsLock;
        QHash<QString, qint64> ordersByReservation;
        auto worker = [&](int index) {
            const QString name = QStringLiteral("worker-%1").arg(index);
            {
                QSqlDatabase db = open(name);
                OrderRepository repository(db);
                ready.release();
                go.acquire();
                constexpr int batchSize = 40;
                // Worker 0 takes [0, 60%), worker 1 [40%, 100%): a fifth is seen by both.
                const int from = index == 0 ? 0 : reservationCount * 2 / 5;
                const int to = index == 0 ? reservationCount * 3 / 5 : reservationCount;
                for (int i = from; i < to; i += batchSize) {
                    const auto outcomes =
                        repository.createOrders(all.mid(i, std::min(batchSize, to - i)));
                    QMutexLocker locker(&errorsLock);
                    if (!outcomes) {
                        errors.append(outcomes.error());
                        continue;
                    }
                    for (const OrderOutcome &o : *outcomes) {
                        if (!o.hasOrder())
                            continue;
                        const qint64 seen = ordersByReservation.value(o.reservation, o.orderId);
                        if (seen != o.orderId)
                            errors.append(QStringLiteral("%1 got two orders").arg(o.reservation));
                        ordersByReservation.insert(o.reservation, o.orderId);
                    }
                }
            }
            db::closeDatabase(name);
        };
        std::unique_ptr<QThread> a(QThread::create(worker, 0));
        std::unique_ptr<QThread> b(QThread::create(worker, 1));
        a->start();
        b->start();
        ready.acquire(2);
        go.release(2);
        QVERIFY(a->wait(120'000));
        QVERIFY(b->wait(120'000));
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));

        const int expected = std::min(stockUnits, reservationCount);
        QCOMPARE(orderCount(goods), expected);
        QCOMPARE(ordersByReservation.size(), expected);
        QCOMPARE(stock(goods), stockUnits - expected);
        QCOMPARE(scalar(QStringLiteral("SELECT count(DISTINCT user_id) FROM miaosha_order "
                                       "WHERE goods_id = ?"),
                        {goods}),
                 expected);
        const qint64 conflicts = OrderRepository::versionConflicts() - conflictsBefore;
        qInfo() << "version conflicts:" << conflicts << "- version now" << version(goods);
        QVERIFY2(conflicts > 0, "the optimistic-lock conflict path never ran");
    }
};

QTEST_GUILESS_MAIN(tst_OrderRepository)
#include "tst_orderrepository.moc"
