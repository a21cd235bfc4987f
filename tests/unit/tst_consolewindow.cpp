// The window without a server: every action is in a menu with a shortcut, the charts take
// the live history's points, the report export writes its files and PNGs, and the layout
// is remembered. Runs on the offscreen platform.
#include "livechartsview.h"
#include "mainwindow.h"
#include "salereport.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QImage>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QStandardPaths>
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
        s.sales = {{7, 100, 1, 5, queued}};
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
        QVERIFY2(actions >= 19, qPrintable(QString::number(actions)));
    }

    void productActionsWaitForAConnection()
    {
        MainWindow window;
        for (QMenu *menu : window.menuBar()->findChildren<QMenu *>()) {
            if (menu->title() != u"&Product")
                continue;
            for (QAction *action : menu->actions())
                QVERIFY2(action->isSeparator() || !action->isEnabled(), qPrintable(action->text()));
        }
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
        const QDateTime t0 = QDateTime::currentDateTimeUtc();
        for (int i = 0; i < 5; ++i)
            window.session().history().append(stats(t0.addSecs(i), 10));
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("report"));
        const Status status = window.exportReport(target);
        QVERIFY2(status.ok(), qPrintable(status.error()));
        QStringList expected = SaleReport::fileNames();
        expected << QStringLiteral("requests.png") << QStringLiteral("orders.png")
                 << QStringLiteral("stock.png") << QStringLiteral("queue.png");
        for (const QString &name : expected)
            QVERIFY2(QFile::exists(QDir(target).filePath(name)), qPrintable(name));
        const QImage chart(QDir(target).filePath(QStringLiteral("requests.png")));
        QVERIFY(!chart.isNull());
        QVERIFY(chart.width() >= 300 && chart.height() >= 200);
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
