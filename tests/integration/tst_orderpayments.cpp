// Paying, cancelling and the payment timeout against real PostgreSQL and Redis: a cancel
// returns the unit in both places exactly once, whatever calls it twice or at once.

#include "orderpayments.h"
#include "orderrepository.h"
#include "ordertestsupport.h"

#include <QMutex>
#include <QTest>
#include <QThread>

using namespace flashsale;
using namespace flashsale::orders;
using namespace std::chrono_literals;
using redis::ShopperStatus;

class tst_OrderPayments : public QObject
{
    Q_OBJECT

private:
    test::OrderFixture m_fixture;

    OrderPaymentsOptions options(std::chrono::seconds timeout = 0s) const
    {
        OrderPaymentsOptions o;
        o.database = db::DatabaseUrl::parse(m_fixture.databaseUrl()).value();
        o.redisUrl = test::TestServices::instance().redisUrl();
        o.paymentTimeout = timeout;
        o.sweepInterval = 3600s; // sweeps run when the test says
        return o;
    }

    // A sale of \a stock units and \a count orders in it, made and confirmed the way the
    // worker does. Returns the orders (user, id).
    QList<OrderOutcome> sale(qint64 stock, int count, qint64 firstUser, qint64 *goods)
    {
        *goods = m_fixture.createSale(stock);
        const QList<amqp::Reservation> reservations = m_fixture.reserve(*goods, firstUser, count);
        OrderRepository repository(m_fixture.database());
        const Result<QList<OrderOutcome>> made = repository.createOrders(reservations);
        if (!made)
            qFatal("%s", qPrintable(made.error()));
        for (const OrderOutcome &o : *made) {
            const auto confirmed =
                test::awaitResult<redis::ConfirmOutcome>([&](QObject *ctx, auto done) {
                    m_fixture.scripts().confirm(o.goodsId, o.userId, o.orderId, ctx, done);
                });
            if (!confirmed || confirmed->kind != redis::ConfirmOutcome::Kind::Confirmed)
                qFatal("confirm failed");
        }
        return *made;
    }

    static Result<OrderChange> await(std::function<void(QObject *, OrderPayments::Callback)> call)
    {
        std::optional<Result<OrderChange>> answer;
        QObject context;
        call(&context, [&answer](const Result<OrderChange> &r) { answer = r; });
        if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 20'000))
            return Result<OrderChange>::failure(QStringLiteral("test: no answer"));
        return *answer;
    }

    QString orderStatus(qint64 orderId)
    {
        QSqlQuery q(m_fixture.database());
        q.prepare(QStringLiteral("SELECT status FROM miaosha_order WHERE id = ?"));
        q.addBindValue(orderId);
        if (!q.exec() || !q.next())
            qFatal("no order %lld", qlonglong(orderId));
        return q.value(0).toString();
    }

private Q_SLOTS:
    void initTestCase() { m_fixture.open(); }
    void cleanupTestCase() { m_fixture.close(); }

    void payOnceThenNoCancel()
    {
        qint64 goods = 0;
        const QList<OrderOutcome> orders = sale(5, 1, 700'000, &goods);
        const OrderOutcome order = orders.first();
        OrderPayments payments(options());
        payments.start();
        QTRY_VERIFY_WITH_TIMEOUT(payments.stats().redisConnected.load(), 20'000);

        const Result<OrderChange> paid = payments.payAndWait(order.orderId, order.userId);
        QVERIFY2(paid.ok(), qPrintable(paid.error()));
        QCOMPARE(paid->kind, OrderChange::Kind::Done);
        QCOMPARE(paid->order->status, QStringLiteral("paid"));
        QVERIFY(paid->order->paidAtMs.has_value());
        QCOMPARE(paid->order->goodsId, goods);

        QCOMPARE(payments.payAndWait(order.orderId, order.userId)->kind,
                 OrderChange::Kind::Unchanged);
        const Result<OrderChange> refused = await([&](QObject *ctx, OrderPayments::Callback done) {
            payments.cancel(order.orderId, order.userId, ctx, done);
        });
        QCOMPARE(refused->kind, OrderChange::Kind::NotAllowed);
        QCOMPARE(refused->order->status, QStringLiteral("paid"));
        // Someone else's order does not exist for this shopper.
        QCOMPARE(payments.payAndWait(order.orderId, order.userId + 1)->kind,
                 OrderChange::Kind::NotFound);
        QCOMPARE(payments.cancelAndWait(order.orderId, order.userId + 1)->kind,
                 OrderChange::Kind::NotFound);
        QCOMPARE(m_fixture.databaseStock(goods), 4);
        QCOMPARE(m_fixture.inventory(goods).stock, 4);
        QCOMPARE(payments.stats().paid.load(), 1);
    }

    // Six cancels of one order at once: two OrderPayments (two connections, as two
    // processes), blocking calls from plain threads and asynchronous ones. One cancels; the
    // unit comes back once in the database and once in Redis, reopening the sold-out sale.
    void cancelReturnsTheUnitOnceInBothPlaces()
    {
        qint64 goods = 0;
        const QList<OrderOutcome> orders = sale(2, 2, 710'000, &goods);
        const OrderOutcome order = orders.first();
        QCOMPARE(m_fixture.databaseStock(goods), 0);
        QVERIFY(m_fixture.inventory(goods).soldOut);
        OrderPayments first(options());
        OrderPayments second(options());
        first.start();
        second.start();
        QTRY_VERIFY_WITH_TIMEOUT(first.stats().redisConnected && second.stats().redisConnected,
                                 20'000);

        QList<Result<OrderChange>> answers;
        QMutex mutex;
        auto blocking = [&](OrderPayments *payments) {
            return QThread::create([&, payments] {
                const Result<OrderChange> r = payments->cancelAndWait(order.orderId, order.userId);
                QMutexLocker lock(&mutex);
                answers.append(r);
            });
        };
        std::unique_ptr<QThread> t1(blocking(&first)), t2(blocking(&second)), t3(blocking(&second));
        t1->start();
        t2->start();
        t3->start();
        QObject context;
        for (OrderPayments *p : {&first, &second, &first}) {
            p->cancel(order.orderId, order.userId, &context, [&](const Result<OrderChange> &r) {
                QMutexLocker lock(&mutex);
                answers.append(r);
            });
        }
        QTRY_COMPARE_WITH_TIMEOUT(
            [&] {
                QMutexLocker lock(&mutex);
                return answers.size();
            }(),
            6, 30'000);
        t1->wait();
        t2->wait();
        t3->wait();
        int done = 0, unchanged = 0;
        for (const Result<OrderChange> &r : std::as_const(answers)) {
            QVERIFY2(r.ok(), qPrintable(r.error()));
            QCOMPARE(r->order->status, QStringLiteral("cancelled"));
            done += r->kind == OrderChange::Kind::Done ? 1 : 0;
            unchanged += r->kind == OrderChange::Kind::Unchanged ? 1 : 0;
        }
        QCOMPARE(done, 1);
        QCOMPARE(unchanged, 5);
        QCOMPARE(first.stats().cancelled + second.stats().cancelled, 1);
        QCOMPARE(orderStatus(order.orderId), QStringLiteral("cancelled"));
        QCOMPARE(m_fixture.databaseStock(goods), 1);
        const redis::SaleInventory inventory = m_fixture.inventory(goods);
        QCOMPARE(inventory.stock, 1);
        QVERIFY(!inventory.soldOut);
        const ShopperStatus s = m_fixture.status(goods, order.userId);
        QCOMPARE(s.state, ShopperStatus::State::Failed);
        QCOMPARE(s.reason, QByteArray("cancelled"));
        // A cancelled order cannot be paid.
        QCOMPARE(first.payAndWait(order.orderId, order.userId)->kind,
                 OrderChange::Kind::NotAllowed);
    }

    // Unpaid orders older than the timeout are cancelled, once, by two sweepers at once;
    // paid and young orders stay.
    void paymentTimeoutCancelsUnpaidOrdersOnce()
    {
        qint64 goods = 0;
        const QList<OrderOutcome> orders = sale(10, 4, 720'000, &goods);
        QCOMPARE(m_fixture.databaseStock(goods), 6);
        // Orders 0, 1 and 2 are old; 1 is paid. Order 3 is young.
        for (int i = 0; i < 3; ++i)
            m_fixture.exec(QStringLiteral("UPDATE miaosha_order SET created_at = now() - "
                                          "interval '2 hours' WHERE id = ?"),
                           {orders.at(i).orderId});
        OrderPayments first(options(3600s));
        OrderPayments second(options(3600s));
        first.start();
        second.start();
        QTRY_VERIFY_WITH_TIMEOUT(first.stats().redisConnected && second.stats().redisConnected,
                                 20'000);
        QCOMPARE(first.payAndWait(orders.at(1).orderId, orders.at(1).userId)->kind,
                 OrderChange::Kind::Done);

        std::optional<Result<int>> a, b;
        QObject context;
        first.sweepNow(&context, [&a](const Result<int> &r) { a = r; });
        second.sweepNow(&context, [&b](const Result<int> &r) { b = r; });
        QTRY_VERIFY_WITH_TIMEOUT(a.has_value() && b.has_value(), 20'000);
        QVERIFY2(a->ok(), qPrintable(a->error()));
        QVERIFY2(b->ok(), qPrintable(b->error()));
        QCOMPARE(a->value() + b->value(), 2);
        // Again: nothing left to time out.
        std::optional<Result<int>> c;
        first.sweepNow(&context, [&c](const Result<int> &r) { c = r; });
        QTRY_VERIFY_WITH_TIMEOUT(c.has_value(), 20'000);
        QCOMPARE(c->value(), 0);

        QCOMPARE(first.stats().timedOut + second.stats().timedOut, 2);
        QCOMPARE(orderStatus(orders.at(0).orderId), QStringLiteral("cancelled"));
        QCOMPARE(orderStatus(orders.at(1).orderId), QStringLiteral("paid"));
        QCOMPARE(orderStatus(orders.at(2).orderId), QStringLiteral("cancelled"));
        QCOMPARE(orderStatus(orders.at(3).orderId), QStringLiteral("created"));
        QCOMPARE(m_fixture.databaseStock(goods), 8);
        QCOMPARE(m_fixture.inventory(goods).stock, 8);
        QCOMPARE(m_fixture.status(goods, orders.at(0).userId).reason, QByteArray("cancelled"));
        QCOMPARE(m_fixture.status(goods, orders.at(3).userId).state, ShopperStatus::State::Created);
    }

    // Redis down: the cancel fails and the database is left as it was; once Redis is back,
    // the same cancel goes through.
    void cancelIsAllOrNothingWhenRedisIsDown()
    {
        qint64 goods = 0;
        const QList<OrderOutcome> orders = sale(3, 1, 730'000, &goods);
        const OrderOutcome order = orders.first();
        OrderPayments payments(options());
        payments.start();
        QTRY_VERIFY_WITH_TIMEOUT(payments.stats().redisConnected.load(), 20'000);
        QCOMPARE(
            test::TestServices::instance().stack({QStringLiteral("stop"), QStringLiteral("redis")}),
            0);
        const Result<OrderChange> failed = payments.cancelAndWait(order.orderId, order.userId);
        QCOMPARE(test::TestServices::instance().stack(
                     {QStringLiteral("start"), QStringLiteral("redis")}),
                 0);
        QVERIFY(!failed.ok());
        qInfo() << "with Redis down:" << failed.error();
        QCOMPARE(orderStatus(order.orderId), QStringLiteral("created"));
        QCOMPARE(m_fixture.databaseStock(goods), 2);

        QTRY_VERIFY_WITH_TIMEOUT(payments.stats().redisConnected.load(), 20'000);
        const Result<OrderChange> cancelled = payments.cancelAndWait(order.orderId, order.userId);
        QVERIFY2(cancelled.ok(), qPrintable(cancelled.error()));
        QCOMPARE(cancelled->kind, OrderChange::Kind::Done);
        QCOMPARE(m_fixture.databaseStock(goods), 3);
        // This test's own client may still be finding its way back to the restarted Redis
        // (a read that fails on the way shows stock 0): read until one succeeds.
        QTRY_VERIFY_WITH_TIMEOUT(m_fixture.redis()->isConnected(), 20'000);
        QTRY_COMPARE_WITH_TIMEOUT(m_fixture.inventory(goods).stock, 3, 20'000);
    }
};

QTEST_GUILESS_MAIN(tst_OrderPayments)
#include "tst_orderpayments.moc"
