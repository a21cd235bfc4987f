#include "salestate.h"

#include <QTest>

using namespace flashsale;
using namespace flashsale::console;

class tst_SaleState : public QObject
{
    Q_OBJECT

private:
    static QDateTime at(int minute)
    {
        return QDateTime(QDate(2026, 11, 27), QTime(10, minute), Qt::UTC);
    }

    static adminapi::SaleStatus sale(bool scheduled, qint64 stockLeft, bool degraded)
    {
        adminapi::SaleStatus s;
        s.goodsId = 1;
        s.stockLeft = stockLeft;
        s.degraded = degraded;
        if (scheduled) {
            s.revealAt = at(10);
            s.startAt = at(20);
            s.endAt = at(40);
        }
        return s;
    }

private Q_SLOTS:
    void derive_data()
    {
        QTest::addColumn<bool>("scheduled");
        QTest::addColumn<qint64>("stockLeft");
        QTest::addColumn<bool>("degraded");
        QTest::addColumn<int>("minute");
        QTest::addColumn<SaleState>("expected");

        QTest::newRow("no schedule") << false << qint64(5) << false << 30 << SaleState::Draft;
        QTest::newRow("no schedule, degraded")
            << false << qint64(5) << true << 30 << SaleState::Draft;
        QTest::newRow("before reveal") << true << qint64(5) << false << 5 << SaleState::Scheduled;
        QTest::newRow("at reveal") << true << qint64(5) << false << 10 << SaleState::Revealed;
        QTest::newRow("revealed") << true << qint64(5) << false << 15 << SaleState::Revealed;
        QTest::newRow("at start") << true << qint64(5) << false << 20 << SaleState::Live;
        QTest::newRow("live") << true << qint64(5) << false << 30 << SaleState::Live;
        QTest::newRow("sold out") << true << qint64(0) << false << 30 << SaleState::SoldOut;
        QTest::newRow("degraded while live")
            << true << qint64(5) << true << 30 << SaleState::Degraded;
        QTest::newRow("degraded before start")
            << true << qint64(5) << true << 5 << SaleState::Degraded;
        // Issue 18: a tripped sold-out product is sold out (nothing to buy either way).
        QTest::newRow("degraded and sold out")
            << true << qint64(0) << true << 30 << SaleState::SoldOut;
        QTest::newRow("at end") << true << qint64(5) << false << 40 << SaleState::Ended;
        QTest::newRow("ended, degraded") << true << qint64(5) << true << 50 << SaleState::Ended;
        QTest::newRow("no stock before start")
            << true << qint64(0) << false << 15 << SaleState::Revealed;
    }

    void derive()
    {
        QFETCH(bool, scheduled);
        QFETCH(qint64, stockLeft);
        QFETCH(bool, degraded);
        QFETCH(int, minute);
        QFETCH(SaleState, expected);
        QCOMPARE(deriveState(sale(scheduled, stockLeft, degraded), at(minute)), expected);
    }

    void namesRoundTrip()
    {
        for (SaleState s :
             {SaleState::Draft, SaleState::Scheduled, SaleState::Revealed, SaleState::Live,
              SaleState::SoldOut, SaleState::Ended, SaleState::Degraded}) {
            QCOMPARE(stateFromName(stateName(s)), s);
            QVERIFY(!stateLabel(s).isEmpty());
            QVERIFY(stateColor(s).isValid());
        }
        QCOMPARE(stateName(SaleState::SoldOut), QStringLiteral("sold_out"));
        QCOMPARE(stateFromName(QStringLiteral("nonsense")), SaleState::Draft);
    }

    void next_data()
    {
        QTest::addColumn<int>("minute");
        QTest::addColumn<QString>("label");
        QTest::addColumn<int>("eventMinute");
        QTest::newRow("before reveal") << 0 << "reveal" << 10;
        QTest::newRow("revealed") << 10 << "start" << 20;
        QTest::newRow("live") << 25 << "end" << 40;
        QTest::newRow("ended") << 40 << "" << -1;
    }

    void next()
    {
        QFETCH(int, minute);
        QFETCH(QString, label);
        QFETCH(int, eventMinute);
        const NextEvent e = nextEvent(sale(true, 5, false), at(minute));
        QCOMPARE(e.label, label);
        QCOMPARE(e.at, eventMinute < 0 ? QDateTime() : at(eventMinute));
    }

    void countdown_data()
    {
        QTest::addColumn<qint64>("seconds");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << qint64(0) << "00:00:00";
        QTest::newRow("negative") << qint64(-5) << "00:00:00";
        QTest::newRow("seconds") << qint64(7) << "00:00:07";
        QTest::newRow("hours") << qint64(3 * 3600 + 4 * 60 + 5) << "03:04:05";
        QTest::newRow("days") << qint64(2 * 86400 + 3 * 3600 + 4 * 60 + 5) << "2 d 03:04:05";
    }

    void countdown()
    {
        QFETCH(qint64, seconds);
        QFETCH(QString, text);
        QCOMPARE(formatCountdown(seconds), text);
    }
};

QTEST_GUILESS_MAIN(tst_SaleState)
#include "tst_salestate.moc"
