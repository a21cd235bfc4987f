#include "figuressummary.h"
#include "livehistory.h"

#include <QSignalSpy>
#include <QTest>

using namespace flashsale;
using namespace flashsale::console;

class tst_LiveHistory : public QObject
{
    Q_OBJECT

private:
    static QDateTime t0() { return QDateTime(QDate(2026, 11, 27), QTime(10, 0), Qt::UTC); }

    static adminapi::Stats stats(int second, double queued, qint64 stockLeft)
    {
        adminapi::Stats s;
        s.time = t0().addSecs(second);
        for (const QString &outcome : adminapi::Stats::outcomes())
            s.requestsPerSecond.insert(outcome, 0);
        s.requestsPerSecond[QStringLiteral("queued")] = queued;
        s.requestsPerSecond[QStringLiteral("rate_limited")] = 2;
        s.ordersPerSecond = queued;
        s.queueDepth = second;
        s.sales = {{1, stockLeft, 0, 0, queued}};
        return s;
    }

private Q_SLOTS:
    void latencyAndLagPointsOnlyForSecondsThatMeasuredAny()
    {
        LiveHistory history;
        adminapi::Stats a = stats(0, 5, 10);
        a.buyLatencyMs = {1.5, 9, 20};
        a.orderLagMs = {40, 300, 5};
        a.deadLetters = 2;
        QVERIFY(history.append(a));
        adminapi::Stats b = stats(1, 0, 10); // nothing measured: no point, not a zero
        QVERIFY(history.append(b));
        QCOMPARE(history.latencyP99().points().size(), 1);
        QCOMPARE(history.latencyP99().latest(), 9.0);
        QCOMPARE(history.orderLagP50().latest(), 40.0);
        QCOMPARE(history.deadLetters().points().size(), 2);
        QCOMPARE(history.deadLetters().maximum(), 2.0);
    }

    void summarySaysWhichFiguresAreStale_data()
    {
        QTest::addColumn<QStringList>("staleFigures");
        QTest::addColumn<qint64>("ageMs");
        QTest::addColumn<bool>("queueStale");
        QTest::addColumn<bool>("ratesStale");
        QTest::newRow("current") << QStringList() << qint64(1500) << false << false;
        QTest::newRow("queue unread")
            << QStringList {QStringLiteral("queueDepth")} << qint64(1500) << true << false;
        QTest::newRow("no message for long") << QStringList() << qint64(20'000) << true << true;
    }

    void summarySaysWhichFiguresAreStale()
    {
        QFETCH(QStringList, staleFigures);
        QFETCH(qint64, ageMs);
        QFETCH(bool, queueStale);
        QFETCH(bool, ratesStale);
        adminapi::Stats s = stats(3, 7, 10);
        s.instances = 2;
        s.workers = 1;
        s.queueDepth = 12;
        s.stale = staleFigures;
        const QString line = figuresSummary(s, ageMs);
        QVERIFY2(line.contains(QStringLiteral("API instances 2, workers 1")), qPrintable(line));
        QCOMPARE(line.contains(QStringLiteral("dead letters 0 (stale)")), queueStale);
        QCOMPARE(line.contains(QStringLiteral("orders/s 7 (stale)")), ratesStale);
        QVERIFY(line.contains(QStringLiteral("queue 12")));
        QCOMPARE(figuresSummary(adminapi::Stats {}, 0), QStringLiteral("No live figures yet."));
    }

    void rollingSeriesKeepsTheWindow_data()
    {
        QTest::addColumn<int>("samples");
        QTest::addColumn<int>("kept");
        QTest::newRow("fewer than the window") << 10 << 10;
        QTest::newRow("exactly five minutes") << 301 << 301;
        QTest::newRow("ten minutes") << 600 << 301;
    }

    void rollingSeriesKeepsTheWindow()
    {
        QFETCH(int, samples);
        QFETCH(int, kept);
        RollingSeries series(5 * 60 * 1000);
        for (int i = 0; i < samples; ++i)
            QVERIFY(series.append(t0().addSecs(i), i));
        QCOMPARE(series.points().size(), kept);
        QCOMPARE(series.latest(), double(samples - 1));
        QCOMPARE(series.points().constFirst().y(), double(samples - kept));
        // The window is measured from the newest sample: 300 s, both ends included.
        QCOMPARE(series.points().constLast().x() - series.points().constFirst().x(),
                 double(kept - 1) * 1000);
    }

    void rollingSeriesRepeatsAndLateSamples()
    {
        RollingSeries series;
        QVERIFY(series.append(t0(), 1));
        QVERIFY(series.append(t0().addMSecs(200), 5)); // the same second again: replaces
        QCOMPARE(series.points().size(), 1);
        QCOMPARE(series.latest(), 5.0);
        QVERIFY(series.append(t0().addSecs(1), 2));
        QVERIFY(!series.append(t0().addSecs(-3), 9)); // late: ignored
        QCOMPARE(series.points().size(), 2);
        QCOMPARE(series.maximum(), 5.0);
    }

    void missingSamplesCutTheLine()
    {
        RollingSeries series;
        for (int i = 0; i < 5; ++i)
            QVERIFY(series.append(t0().addSecs(i), 2));
        // Sixty seconds without a sample, then the feed again.
        for (int i = 65; i < 68; ++i)
            QVERIFY(series.append(t0().addSecs(i), 0));
        const QList<QList<QPointF>> segments = series.segments();
        QCOMPARE(segments.size(), 2);
        QCOMPARE(segments.at(0).size(), 5);
        QCOMPARE(segments.at(1).size(), 3);
        QCOMPARE(segments.at(1).first().x(), double(t0().addSecs(65).toMSecsSinceEpoch()));
        // A sample a little late (under the gap) is no gap.
        QVERIFY(series.append(t0().addSecs(69), 1));
        QCOMPARE(series.segments().size(), 2);
        QCOMPARE(series.segments(t0().addSecs(66).toMSecsSinceEpoch()).size(), 1);
    }

    void historyFeedsEverySeries()
    {
        LiveHistory history;
        QSignalSpy appended(&history, &LiveHistory::appended);
        for (int i = 0; i < 400; ++i)
            QVERIFY(history.append(stats(i, 10, 1000 - i)));
        QCOMPARE(appended.size(), 400);
        // The whole watched period is kept (for the report); the charts show the last part.
        QCOMPARE(history.requests(QStringLiteral("queued")).points().size(), 400);
        QCOMPARE(
            history.requests(QStringLiteral("queued"))
                .pointsSince(t0().addSecs(399).toMSecsSinceEpoch() - LiveHistory::liveWindowMs())
                .size(),
            301);
        QCOMPARE(history.requests(QStringLiteral("rate_limited")).latest(), 2.0);
        QCOMPARE(history.requests(QStringLiteral("no_such_outcome")).points().size(), 0);
        QCOMPARE(history.orders().latest(), 10.0);
        QCOMPARE(history.queueDepth().latest(), 399.0);
        QCOMPARE(history.stock().value(1).latest(), 601.0);
        // Totals cover everything watched, not just the window.
        QCOMPARE(history.outcomeTotals().value(QStringLiteral("queued")), 4000.0);
        QCOMPARE(history.ordersTotal(), 4000.0);
        QCOMPARE(history.samples(), 400);
        QCOMPARE(history.peakRequestsPerSecond(), 12.0);
        QCOMPARE(history.firstSample(), t0());
        QCOMPARE(history.lastSample(), t0().addSecs(399));
    }

    void repeatedMessageIsNotCountedTwice()
    {
        LiveHistory history;
        QVERIFY(history.append(stats(0, 10, 5)));
        QVERIFY(history.append(stats(0, 10, 5)));
        QVERIFY(!history.append(stats(-10, 10, 5)));
        QCOMPARE(history.samples(), 1);
        QCOMPARE(history.outcomeTotals().value(QStringLiteral("queued")), 10.0);
        QCOMPARE(history.orders().points().size(), 1);
        history.clear();
        QCOMPARE(history.samples(), 0);
        QVERIFY(history.orders().isEmpty());
        QVERIFY(history.append(stats(-10, 10, 5))); // after clear, any time is new
    }

    void productsAppearAsTheyComeIn()
    {
        LiveHistory history;
        adminapi::Stats s = stats(0, 1, 5);
        QVERIFY(history.append(s));
        s = stats(1, 1, 4);
        s.sales.append({2, 70, 0, 0, 0});
        QVERIFY(history.append(s));
        QCOMPARE(history.stock().keys(), (QList<qint64> {1, 2}));
        QCOMPARE(history.stock().value(2).points().size(), 1);
        QCOMPARE(history.stock().value(1).points().size(), 2);
    }
};

QTEST_GUILESS_MAIN(tst_LiveHistory)
#include "tst_livehistory.moc"
