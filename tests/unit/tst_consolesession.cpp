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
        Q_EMIT client.saleUpdated(sale(1, 57)); // at the server's time now: not before listed
        // A listing the server made before the update (a second before) arrives late.
        Q_EMIT client.salesListed({sale(1, 0), sale(2, 3)}, listed.addSecs(-1));
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
        // A request sent after it, whose failure arrives after any of the action's: once it
        // is in, whatever the action sent has failed too (no fixed wait).
        QVERIFY(session.topUp(1, 1).isEmpty());
        QTRY_COMPARE(failed.size(), valid ? 2 : 1);
        QCOMPARE(failed.first().at(1).toString(), QStringLiteral("Not connected to a server"));
    }

    void historyIsKeptAcrossAReconnectToTheSameAddress()
    {
        ConsoleSession session;
        const QUrl address(QStringLiteral("http://127.0.0.1:9"));
        session.connectToServer(address, QStringLiteral("wrong"));
        adminapi::Stats stats;
        stats.time = QDateTime::currentDateTimeUtc();
        for (int i = 0; i < 3; ++i) {
            Q_EMIT session.client().liveStats(stats);
            stats.time = stats.time.addSecs(1);
        }
        QCOMPARE(session.history().samples(), 3);
        // Ctrl+K again with the right token: the same server, the same history.
        session.connectToServer(QUrl(QStringLiteral("http://127.0.0.1:9/")),
                                QStringLiteral("right"));
        QCOMPARE(session.history().samples(), 3);
        QCOMPARE(session.address(), QUrl(QStringLiteral("http://127.0.0.1:9/")));
        // Another server: another history.
        session.connectToServer(QUrl(QStringLiteral("http://127.0.0.1:10")), QStringLiteral("t"));
        QCOMPARE(session.history().samples(), 0);
        session.disconnectFromServer();
    }

    void figuresTurnStaleWhenTheFeedStops()
    {
        ConsoleSession session;
        session.setStaleAfter(100);
        Q_EMIT session.client().salesListed({sale(1, 10)}, QDateTime());
        QVERIFY(!session.isStale()); // nothing live shown yet: nothing to mark
        QSignalSpy stale(&session, &ConsoleSession::staleChanged);
        adminapi::Stats stats;
        stats.time = QDateTime::currentDateTimeUtc();
        stats.sales = {{1, 4, 0, 6, 0}};
        const QDateTime before = QDateTime::currentDateTimeUtc();
        Q_EMIT session.client().liveStats(stats);
        // No connection behind the feed here: the figures are stale as soon as they arrive,
        // and say since when.
        QTRY_VERIFY(session.isStale());
        QVERIFY(session.staleSince() >= before);
        QCOMPARE(stale.size(), 1);
        QCOMPARE(stale.first().at(0).toBool(), true);
        const ProductsTableModel &products = session.products();
        const QModelIndex state = products.index(0, ProductsTableModel::StateColumn);
        QVERIFY2(products.data(state).toString().contains(u"as of"),
                 qPrintable(products.data(state).toString()));
        QVERIFY(products.data(state, Qt::ForegroundRole).isValid());
        QVERIFY(products.data(state, Qt::ToolTipRole).toString().contains(u"No live data since"));
        // The clock of stale rows stands still.
        const QDateTime frozen = products.now();
        QTest::qWait(1100);
        QCOMPARE(products.now(), frozen);
    }

    void productTripsAndStockChangesAreLoggedAsChanges()
    {
        ConsoleSession session;
        AdminClient &client = session.client();
        Q_EMIT client.salesListed({sale(1, 10)}, QDateTime());
        QSignalSpy done(&session, &ConsoleSession::done);
        adminapi::Degradation d;
        Q_EMIT client.degradationReceived(d);
        QCOMPARE(done.size(), 0); // all off: nothing happened
        d.goods = {{1, true, QStringLiteral("paused")}};
        Q_EMIT client.degradationReceived(d);
        QCOMPARE(done.size(), 1);
        QVERIFY2(done.last().first().toString().contains(u"Product 1 'P1' degraded"),
                 qPrintable(done.last().first().toString()));
        d.goods = {{1, false, QString()}};
        Q_EMIT client.degradationReceived(d);
        QCOMPARE(done.size(), 2);
        QVERIFY(done.last().first().toString().contains(u"reset"));
        adminapi::SaleStatus toppedUp = sale(1, 60);
        Q_EMIT client.saleUpdated(toppedUp);
        QVERIFY2(done.last().first().toString().contains(u"stock +50 (preloaded 10 -> 60"),
                 qPrintable(done.last().first().toString()));
    }
};

QTEST_GUILESS_MAIN(tst_ConsoleSession)
#include "tst_consolesession.moc"
