#include "validation.h"

#include <QTest>

using namespace flashsale;
using namespace flashsale::console;

class tst_Validation : public QObject
{
    Q_OBJECT

private:
    static QDateTime now() { return QDateTime(QDate(2026, 11, 27), QTime(10, 0, 0, 400), Qt::UTC); }

private Q_SLOTS:
    void schedule_data()
    {
        QTest::addColumn<int>("reveal"); // seconds from now(), whole second
        QTest::addColumn<int>("start");
        QTest::addColumn<int>("end");
        QTest::addColumn<qint64>("stock");
        QTest::addColumn<double>("rate");
        QTest::addColumn<qint64>("burst");
        QTest::addColumn<QString>("fault"); // empty: valid

        QTest::newRow("valid") << 60 << 120 << 600 << qint64(100) << 50.0 << qint64(10) << "";
        QTest::newRow("reveal equals start")
            << 60 << 60 << 600 << qint64(100) << 50.0 << qint64(10) << "";
        QTest::newRow("reveal now, to the second")
            << 0 << 60 << 600 << qint64(0) << 50.0 << qint64(1) << "";
        QTest::newRow("reveal after start")
            << 120 << 60 << 600 << qint64(1) << 50.0 << qint64(1) << "revealed before";
        QTest::newRow("start equals end")
            << 60 << 600 << 600 << qint64(1) << 50.0 << qint64(1) << "end after it starts";
        QTest::newRow("end before start")
            << 60 << 600 << 300 << qint64(1) << 50.0 << qint64(1) << "end after it starts";
        QTest::newRow("reveal in the past")
            << -1 << 60 << 600 << qint64(1) << 50.0 << qint64(1) << "reveal time is in the past";
        QTest::newRow("start in the past")
            << -120 << -60 << 600 << qint64(1) << 50.0 << qint64(1) << "start time is in the past";
        QTest::newRow("all in the past")
            << -300 << -200 << -100 << qint64(1) << 50.0 << qint64(1) << "end time is in the past";
        QTest::newRow("negative stock")
            << 60 << 120 << 600 << qint64(-1) << 50.0 << qint64(1) << "negative";
        QTest::newRow("zero rate")
            << 60 << 120 << 600 << qint64(1) << 0.0 << qint64(1) << "rate must be above 0";
        QTest::newRow("zero burst")
            << 60 << 120 << 600 << qint64(1) << 1.0 << qint64(0) << "burst must be at least 1";
    }

    void schedule()
    {
        QFETCH(int, reveal);
        QFETCH(int, start);
        QFETCH(int, end);
        QFETCH(qint64, stock);
        QFETCH(double, rate);
        QFETCH(qint64, burst);
        QFETCH(QString, fault);
        const QDateTime second = now().addMSecs(-now().time().msec());
        adminapi::SaleSchedule s;
        s.revealAt = second.addSecs(reveal);
        s.startAt = second.addSecs(start);
        s.endAt = second.addSecs(end);
        s.stock = stock;
        s.ratePerSecond = rate;
        s.burst = burst;
        const QStringList faults = scheduleFaults(s, now());
        if (fault.isEmpty()) {
            QVERIFY2(faults.isEmpty(), qPrintable(faults.join(u' ')));
        } else {
            QVERIFY2(faults.join(u' ').contains(fault), qPrintable(faults.join(u' ')));
        }
    }

    void missingTimes()
    {
        adminapi::SaleSchedule s;
        QVERIFY(scheduleFaults(s, now()).join(u' ').contains(QStringLiteral("all needed")));
    }

    void topUp()
    {
        QVERIFY(topUpFaults(1).isEmpty());
        QCOMPARE(topUpFaults(0).size(), 1);
        QCOMPARE(topUpFaults(-3).size(), 1);
    }

    void goods_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<qint64>("price");
        QTest::addColumn<qint64>("flash");
        QTest::addColumn<int>("faults");
        QTest::newRow("valid") << "Phone" << qint64(1000) << qint64(500) << 0;
        QTest::newRow("free flash") << "Phone" << qint64(1000) << qint64(0) << 0;
        QTest::newRow("blank name") << "  " << qint64(1000) << qint64(500) << 1;
        QTest::newRow("flash above price") << "Phone" << qint64(100) << qint64(500) << 1;
        QTest::newRow("negative both") << "Phone" << qint64(-1) << qint64(-2) << 2;
    }

    void goods()
    {
        QFETCH(QString, name);
        QFETCH(qint64, price);
        QFETCH(qint64, flash);
        QFETCH(int, faults);
        adminapi::Goods g;
        g.name = name;
        g.priceCents = price;
        g.flashPriceCents = flash;
        QCOMPARE(goodsFaults(g).size(), faults);
    }
};

QTEST_GUILESS_MAIN(tst_Validation)
#include "tst_validation.moc"
