// The window without a server: every action is in a menu with a shortcut, the charts take
// the live history's points, the report export writes its files and PNGs, and the layout
// is remembered. Runs on the offscreen platform.
#include "degradationpanel.h"
#include "livechartsview.h"
#include "mainwindow.h"
#include "productsview.h"
#include "reportchartimages.h"
#include "reportcharts.h"
#include "salereport.h"
#include "scheduledialog.h"

#include <QAction>
#include <QApplication>
#include <QDateTimeEdit>
#include <QDir>
#include <QDoubleSpinBox>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace flashsale;
using namespace flashsale::console;

class tst_ConsoleWindow : public QObject
{
    Q_OBJECT

private:
    static adminapi::Stats stats(const QDateTime &time, double queued)
    {
        adminapi::Stats s;
        s.time = time;
        for (const QString &outcome : adminapi::Stats::outcomes())
            s.requestsPerSecond.insert(outcome, 1);
        s.requestsPerSecond[QStringLiteral("queued")] = queued;
        s.ordersPerSecond = queued;
        s.queueDepth = 3;
        s.breakers = {{QStringLiteral("redis"), QStringLiteral("closed")},
                      {QStringLiteral("rabbitmq"), QStringLiteral("open")},
                      {QStringLiteral("postgres"), QStringLiteral("half_open")}};
        s.sales = {{7, 100, 1, 5, queued}, {8, 50, 0, 2, 0}};
        return s;
    }

    static adminapi::SaleStatus sale(qint64 id, const QString &name)
    {
        adminapi::SaleStatus s;
        s.goodsId = id;
        s.name = name;
        s.state = QStringLiteral("draft");
        return s;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }

    void everyActionHasAMenuAndAShortcut()
    {
        MainWindow window;
        QStringList missing;
        QSet<QString> shortcuts;
        int actions = 0;
        for (QMenu *menu : window.menuBar()->findChildren<QMenu *>()) {
            for (QAction *action : menu->actions()) {
                if (action->isSeparator() || action->text() == u"&About")
                    continue;
                ++actions;
                const QString keys = action->shortcut().toString();
                if (keys.isEmpty())
                    missing.append(action->text());
                QVERIFY2(!shortcuts.contains(keys), qPrintable(keys + QStringLiteral(" twice")));
                shortcuts.insert(keys);
            }
        }
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(u',')));
        QVERIFY2(actions >= 21, qPrintable(QString::number(actions)));
    }

    void productActionsWaitForAConnection()
    {
        MainWindow window;
        QMenu *product = nullptr;
        for (QMenu *menu : window.menuBar()->findChildren<QMenu *>())
            if (menu->title() == u"&Product")
                product = menu;
        QVERIFY(product);
        QVERIFY(product->actions().size() >= 5);
        for (QAction *action : product->actions())
            QVERIFY2(action->isSeparator() || !action->isEnabled(), qPrintable(action->text()));
    }

    void actionsFollowTheHighlightedRow()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.session().products().upsertSale(sale(7, QStringLiteral("Phone")));
        window.session().products().upsertSale(sale(8, QStringLiteral("Cable")));
        QAction *exportSelected = window.action(QStringLiteral("exportSelected"));
        QAction *exportAll = window.action(QStringLiteral("exportAll"));
        QVERIFY(exportSelected && exportAll);
        QVERIFY(!exportSelected->isEnabled());
        QVERIFY(exportAll->isEnabled());
        QVERIFY(window.selectGoods(7));
        QCOMPARE(window.productsView()->selectedGoodsId(), 7);
        QVERIFY(exportSelected->isEnabled());
        QVERIFY(window.degradationPanel()->productText().contains(u"Phone"));
        // Cleared (a click on empty space): no target, the actions say so.
        window.productsView()->clearSelection();
        QCOMPARE(window.productsView()->selectedGoodsId(), 0);
        QVERIFY(!exportSelected->isEnabled());
        QVERIFY(window.degradationPanel()->productText().contains(u"Select a product"));
        // A filter that hides the row does not move the target to another product.
        QVERIFY(window.selectGoods(7));
        window.productsView()->setFilterText(QStringLiteral("Cable"));
        QCOMPARE(window.productsView()->selectedGoodsId(), 0);
        QVERIFY(!exportSelected->isEnabled());
    }

    void scheduleDialogOpensWithTheLiveSaleAndWarns()
    {
        ConsoleSession session;
        adminapi::SaleStatus live = sale(3, QStringLiteral("Phone"));
        const QDateTime now = session.serverNow();
        live.revealAt = now.addSecs(-900).addMSecs(-123);
        live.startAt = now.addSecs(-600).addMSecs(-456);
        live.endAt = now.addSecs(3000).addMSecs(-789);
        live.preloadedStock = 150;
        live.stockLeft = 22;
        live.ordersCreated = 128;
        live.ratePerSecond = 1000;
        live.burst = 100;
        live.challengeBits = 8;
        session.products().upsertSale(live);
        ScheduleDialog dialog(live, session);
        // The values in force, not a suggestion five minutes from now.
        QCOMPARE(dialog.startEdit()->dateTime().toUTC().toSecsSinceEpoch(),
                 live.startAt.toSecsSinceEpoch());
        QCOMPARE(dialog.endEdit()->dateTime().toUTC().toSecsSinceEpoch(),
                 live.endAt.toSecsSinceEpoch());
        QCOMPARE(dialog.stockEdit()->value(), 150);
        // What a live sale keeps is locked and sent as the server holds it.
        QVERIFY(!dialog.revealEdit()->isEnabled());
        QVERIFY(!dialog.startEdit()->isEnabled());
        QVERIFY(!dialog.stockEdit()->isEnabled());
        QVERIFY(dialog.endEdit()->isEnabled());
        QCOMPARE(dialog.schedule().startAt, live.startAt);
        QCOMPARE(dialog.schedule().revealAt, live.revealAt);
        QCOMPARE(dialog.schedule().stock, 150);
        QCOMPARE(dialog.schedule().challengeBits, 8);
        // Said plainly at the top; Enter does not apply it.
        const QLabel *banner = dialog.findChild<QLabel *>(QStringLiteral("banner"));
        QVERIFY(banner);
        QVERIFY2(banner->text().contains(u"LIVE") && banner->text().contains(u"stays live"),
                 qPrintable(banner->text()));
        QVERIFY(dialog.cancelButton()->isDefault());
        QVERIFY(!dialog.okButton()->isDefault());
        QVERIFY(!dialog.okButton()->isEnabled()); // nothing changed yet
        dialog.endEdit()->setDateTime(dialog.endEdit()->dateTime().addSecs(1800));
        QVERIFY(dialog.okButton()->isEnabled());
        QCOMPARE(dialog.okButton()->text(), QStringLiteral("Apply to the live sale"));
        const QString changes = dialog.change().changes.join(u'\n');
        QVERIFY2(changes.contains(u"End: moves from") && changes.contains(u"Stock: untouched"),
                 qPrintable(changes));
        // The confirmation's wording is the same model's: the session takes it unchanged.
        QVERIFY(session.scheduleSale(3, dialog.schedule()).isEmpty());
        adminapi::SaleSchedule restock = dialog.schedule();
        restock.stock = 150 + 150;
        QVERIFY(!session.scheduleSale(3, restock).isEmpty());

        // The abuse guards are edited here too, on a live sale as well.
        auto *challenge = dialog.findChild<QSpinBox *>(QStringLiteral("challenge"));
        auto *addressWindow = dialog.findChild<QDoubleSpinBox *>(QStringLiteral("addressWindow"));
        QVERIFY(challenge && addressWindow);
        QVERIFY(challenge->isEnabled() && addressWindow->isEnabled());
        QCOMPARE(challenge->value(), 8);
        QCOMPARE(addressWindow->value(), 0.0);
        QCOMPARE(addressWindow->text(), QStringLiteral("none"));
        challenge->setValue(18);
        addressWindow->setValue(2.5);
        QCOMPARE(dialog.schedule().challengeBits, 18);
        QCOMPARE(dialog.schedule().addressWindowMs, 2500);
        const QString guards = dialog.change().changes.join(u'\n');
        QVERIFY2(guards.contains(u"from 8 bits") && guards.contains(u"one try per 2.5 s"),
                 qPrintable(guards));
    }

    void chartsLeaveAGapWhereSamplesAreMissing()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QDateTime t0 = QDateTime::currentDateTimeUtc().addSecs(-120);
        for (int i = 0; i < 10; ++i)
            window.session().history().append(stats(t0.addSecs(i), 2));
        QCOMPARE(window.charts()->requestSegments(), 1);
        // A one-minute outage, then the feed again: no line across it.
        for (int i = 70; i < 80; ++i)
            window.session().history().append(stats(t0.addSecs(i), 0));
        QCOMPARE(window.charts()->requestSegments(), 2);
        QCOMPARE(window.charts()->requestPoints(), 20);
    }

    void connectOffersTheAddressInUse()
    {
        MainWindow window;
        const QUrl address(QStringLiteral("http://127.0.0.1:9"));
        window.session().connectToServer(address, QStringLiteral("wrong-token"));
        QCOMPARE(window.addressToOffer(), address);
        window.session().disconnectFromServer();
    }

    void staleFiguresAreMarked()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.session().setStaleAfter(100);
        window.session().products().upsertSale(sale(7, QStringLiteral("Phone")));
        QVERIFY(window.staleNotice().isEmpty());
        Q_EMIT window.session().client().liveStats(stats(QDateTime::currentDateTimeUtc(), 5));
        QTRY_VERIFY(!window.staleNotice().isEmpty());
        QVERIFY2(window.staleNotice().contains(u"Not live since"),
                 qPrintable(window.staleNotice()));
        QVERIFY(window.degradationPanel()->breakerText(QStringLiteral("redis")).contains(u"as of"));
        QVERIFY(
            !window.degradationPanel()->breakerText(QStringLiteral("redis")).contains(u"#2e7d32"));
    }

    void columnsFitTheirContentOnceRowsArrive()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTableView *table = window.productsView()->table();
        const int before = table->columnWidth(ProductsTableModel::NameColumn);
        window.session().products().upsertSale(
            sale(7, QStringLiteral("A product with a long name that must not be cut")));
        QVERIFY(table->columnWidth(ProductsTableModel::NameColumn) > before);
        // What the operator sets is kept.
        table->horizontalHeader()->resizeSection(ProductsTableModel::NameColumn, 80);
        window.session().products().upsertSale(
            sale(8, QStringLiteral("Another product with an even longer name than that")));
        QCOMPARE(table->columnWidth(ProductsTableModel::NameColumn), 80);
    }

    void aSmallWindowStillShowsRows()
    {
        QSettings().clear();
        MainWindow window;
        window.resize(1024, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        for (int i = 1; i <= 12; ++i)
            window.session().products().upsertSale(sale(i, QStringLiteral("P%1").arg(i)));
        QTableView *table = window.productsView()->table();
        QTRY_VERIFY(table->rowHeight(0) > 0);
        const int visibleRows = table->viewport()->height() / table->rowHeight(0);
        QVERIFY2(visibleRows >= 6, qPrintable(QString::number(visibleRows)));
    }

    void chartsFollowTheHistory()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.charts()->requestPoints(), 0);
        const QDateTime t0 = QDateTime::currentDateTimeUtc();
        for (int i = 0; i < 10; ++i)
            window.session().history().append(stats(t0.addSecs(i), 20 + i));
        QCOMPARE(window.charts()->requestPoints(), 10);
    }

    void exportWritesFilesAndCharts()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.session().products().upsertSale(sale(7, QStringLiteral("Phone")));
        window.session().products().upsertSale(sale(8, QStringLiteral("Cable")));
        // Thirteen minutes watched: more than the live charts' five.
        const QDateTime t0 = QDateTime::currentDateTimeUtc().addSecs(-13 * 60);
        for (int i = 0; i <= 13 * 60; ++i)
            window.session().history().append(stats(t0.addSecs(i), 10));
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("report"));
        const Status status = window.exportReport(target, 7);
        QVERIFY2(status.ok(), qPrintable(status.error()));
        QStringList expected = SaleReport::fileNames();
        expected << QStringLiteral("requests.png") << QStringLiteral("orders.png")
                 << QStringLiteral("stock.png") << QStringLiteral("queue.png")
                 << QStringLiteral("latency.png") << QStringLiteral("orderlag.png");
        for (const QString &name : expected)
            QVERIFY2(QFile::exists(QDir(target).filePath(name)), qPrintable(name));
        const QImage chart(QDir(target).filePath(QStringLiteral("requests.png")));
        QVERIFY(!chart.isNull());
        // Print size, not the screen's.
        QCOMPARE(chart.size(), ReportChartImages::printSize());

        // The whole watched period, titled with what it covers.
        const QList<ProductsTableModel::Row> rows {
            window.session().products().row(window.session().products().rowOf(7))};
        const QList<ReportChart> charts = reportCharts(window.session().history(), rows, false);
        QCOMPARE(charts.size(), 6);
        for (const ReportChart &c : charts) {
            QCOMPARE(c.from, t0);
            QCOMPARE(c.until, t0.addSecs(13 * 60));
            QVERIFY2(c.title.contains(t0.toLocalTime().toString(QStringLiteral("yyyy-MM-dd"))),
                     qPrintable(c.title));
            QVERIFY2(c.title.contains(u"UTC"), qPrintable(c.title));
        }
        QVERIFY2(charts.at(0).title.contains(u"whole site")
                     && charts.at(0).title.contains(u"Phone"),
                 qPrintable(charts.at(0).title));
        QCOMPARE(charts.at(0).lines.first().segments.first().size(), 13 * 60 + 1);
        // Stock of this product only.
        QCOMPARE(charts.at(2).lines.size(), 1);
        QVERIFY(charts.at(2).lines.first().name.contains(u"Phone"));
        QFile summary(QDir(target).filePath(QStringLiteral("summary.txt")));
        QVERIFY(summary.open(QIODevice::ReadOnly));
        QVERIFY(!summary.readAll().contains("Cable"));
    }

    void layoutIsRemembered()
    {
        {
            MainWindow window;
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.resize(1111, 777);
            window.close();
        }
        MainWindow again;
        QCOMPARE(again.size(), QSize(1111, 777));
    }
};

int main(int argc, char *argv[])
{
    // Widgets need a platform; tests run without a display.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("flashsale-test"));
    QApplication::setApplicationName(QStringLiteral("tst_consolewindow"));
    tst_ConsoleWindow test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_consolewindow.moc"
