// ConsoleSession keeps the table, the live history and the kill switches in step with what
// the admin client reports. The client's signals are emitted here as the client would.
#include "consolesession.h"

#include <QSignalSpy>
#include <QTest>

using namespace flashsale;
using namespace flashsale::console;
using adminapi::AdminClient;

class tst_ConsoleSession : public QObject
{
    Q_OBJECT

private:
    static adminapi::SaleStatus sale(qint64 id, qint64 stock)
    {
        adminapi::SaleStatus s;
        s.goodsId = id;
        s.name = QStringLiteral("P%1").arg(id);
        s.preloadedStock = stock;
        s.stockLeft = stock;
        s.state = QStringLiteral("draft");
        return s;
    }

    static adminapi::SaleSchedule schedule(const QDateTime &now, int revealIn)
    {
        adminapi::SaleSchedule s;
        s.stock = 10;
        s.revealAt = now.addSecs(revealIn);
        s.startAt = now.addSecs(120);
        s.endAt = now.addSecs(600);
        return s;
    }

private Q_SLOTS:
    void staleListingDoesNotUndoAnUpdate()
    {
        ConsoleSession session;
        AdminClient &client = session.client();
        const QDateTime listed = QDateTime::currentDateTimeUtc();
        Q_EMIT client.salesListed({sale(1, 0), sale(2, 0)}, listed);
        QTest::qWait(20);
        Q_EMIT client.saleUpdated(sale(1, 57));
        // A listing the server made before the update arrives late.
        Q_EMIT client.salesListed({sale(1, 0), sale(2, 3)}, listed.addMSecs(5));
        ProductsTableModel &products = session.products();
        QCOMPARE(products.row(products.rowOf(1)).sale.preloadedStock, 57);
        QCOMPARE(products.row(products.rowOf(2)).sale.preloadedStock, 3);
        // A newer listing wins.
        Q_EMIT client.salesListed({sale(1, 40), sale(2, 3)}, session.serverNow().addSecs(5));
        QCOMPARE(products.row(products.rowOf(1)).sale.preloadedStock, 40);
    }

    void liveStatsFeedTableHistoryAndBreakers()
    {
        ConsoleSession session;
        AdminClient &client = session.client();
        Q_EMIT client.salesListed({sale(1, 10)}, QDateTime());
        QSignalSpy breakers(&session, &ConsoleSession::breakersChanged);
        adminapi::Stats stats;
        stats.time = QDateTime::currentDateTimeUtc();
        stats.breakers = {{QStringLiteral("redis"), QStringLiteral("open")}};
        stats.sales = {{1, 4, 1, 5, 2.5}};
        Q_EMIT client.liveStats(stats);
        QCOMPARE(session.history().samples(), 1);
        QCOMPARE(session.products().row(0).sale.stockLeft, 4);
        QCOMPARE(breakers.size(), 1);
        QCOMPARE(session.breakers().value(QStringLiteral("redis")), QStringLiteral("open"));
        stats.time = stats.time.addSecs(1);
        Q_EMIT client.liveStats(stats);
        QCOMPARE(breakers.size(), 1); // unchanged breakers are not announced again
    }

    void degradationMarksProducts()
    {
        ConsoleSession session;
        AdminClient &client = session.client();
        Q_EMIT client.salesListed({sale(1, 10), sale(2, 10)}, QDateTime());
        adminapi::Degradation d;
        d.goods = {{2, true, QStringLiteral("paused")}};
        Q_EMIT client.degradationReceived(d);
        QVERIFY(!session.products().row(session.products().rowOf(1)).sale.degraded);
        QVERIFY(session.products().row(session.products().rowOf(2)).sale.degraded);
        QSignalSpy done(&session, &ConsoleSession::done);
        d.site = {0, true, QStringLiteral("all paused")};
        Q_EMIT client.degradationReceived(d);
        QCOMPARE(session.products().row(session.products().rowOf(1)).sale.degradedMessage,
                 QStringLiteral("all paused"));
        QCOMPARE(done.size(), 1);
    }

    void invalidInputIsNeverSent_data()
    {
        QTest::addColumn<int>("action");
        QTest::addColumn<bool>("valid");
        QTest::newRow("schedule in the past") << 0 << false;
        QTest::newRow("schedule") << 1 << true;
        QTest::newRow("top-up of 0") << 2 << false;
        QTest::newRow("top-up") << 3 << true;
        QTest::newRow("rate 0") << 4 << false;
        QTest::newRow("rate") << 5 << true;
        QTest::newRow("trip without message") << 6 << false;
        QTest::newRow("trip") << 7 << true;
        QTest::newRow("nameless product") << 8 << false;
    }

    void invalidInputIsNeverSent()
    {
        QFETCH(int, action);
        QFETCH(bool, valid);
        ConsoleSession session;
        // Not connected: whatever is sent fails with "Not connected", which proves it was.
        QSignalSpy failed(&session, &ConsoleSession::failed);
        const QDateTime now = session.serverNow();
        QStringList faults;
        switch (action) {
        case 0:
            faults = session.scheduleSale(1, schedule(now, -60));
            break;
        case 1:
            faults = session.scheduleSale(1, schedule(now, 60));
            break;
        case 2:
            faults = session.topUp(1, 0);
            break;
        case 3:
            faults = session.topUp(1, 5);
            break;
        case 4:
            faults = session.setRate(1, 0, 1);
            break;
        case 5:
            faults = session.setRate(1, 5, 1);
            break;
        case 6:
            faults = session.setDegradation(std::nullopt, true, QStringLiteral(" "));
            break;
        case 7:
            faults = session.setDegradation(std::nullopt, true, QStringLiteral("Paused"));
            break;
        case 8:
            faults = session.createProduct(adminapi::Goods {});
            break;
        }
        QCOMPARE(faults.isEmpty(), valid);
        QTest::qWait(50);
        QCOMPARE(failed.size(), valid ? 1 : 0);
        if (valid)
            QCOMPARE(failed.first().at(1).toString(), QStringLiteral("Not connected to a server"));
    }
};

QTEST_GUILESS_MAIN(tst_ConsoleSession)
#include "tst_consolesession.moc"
