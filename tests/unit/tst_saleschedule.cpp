#include "saleschedule.h"

#include <QTest>

#include <limits>

using namespace flashsale::sale;

class tst_SaleSchedule : public QObject
{
    Q_OBJECT

private:
    static SaleSchedule schedule()
    {
        SaleSchedule s;
        s.revealAtMs = 1000;
        s.startAtMs = 2000;
        s.endAtMs = 3000;
        s.stock = 10;
        return s;
    }

private Q_SLOTS:
    void phase_data()
    {
        QTest::addColumn<qint64>("now");
        QTest::addColumn<bool>("soldOut");
        QTest::addColumn<QString>("phase");
        QTest::newRow("before reveal") << qint64(999) << false << "scheduled";
        QTest::newRow("at reveal") << qint64(1000) << false << "revealed";
        QTest::newRow("just before start") << qint64(1999) << false << "revealed";
        QTest::newRow("at start") << qint64(2000) << false << "live";
        QTest::newRow("live sold out") << qint64(2500) << true << "sold_out";
        QTest::newRow("just before end") << qint64(2999) << false << "live";
        QTest::newRow("at end") << qint64(3000) << false << "ended";
        QTest::newRow("ended wins over sold out") << qint64(5000) << true << "ended";
    }

    void phase()
    {
        QFETCH(qint64, now);
        QFETCH(bool, soldOut);
        QFETCH(QString, phase);
        QCOMPARE(phaseName(schedule().phaseAt(now, soldOut)), phase);
    }

    void validate_data()
    {
        QTest::addColumn<qint64>("reveal");
        QTest::addColumn<qint64>("start");
        QTest::addColumn<qint64>("end");
        QTest::addColumn<qint64>("stock");
        QTest::addColumn<double>("rate");
        QTest::addColumn<qint64>("burst");
        QTest::addColumn<QString>("error");
        QTest::newRow("fine") << 1LL << 2LL << 3LL << 0LL << 1.0 << 1LL << QString();
        QTest::newRow("reveal equals start") << 2LL << 2LL << 3LL << 5LL << 1.0 << 1LL << QString();
        QTest::newRow("reveal after start") << 3LL << 2LL << 4LL << 5LL << 1.0 << 1LL << "revealAt";
        QTest::newRow("start equals end") << 1LL << 3LL << 3LL << 5LL << 1.0 << 1LL << "startAt";
        QTest::newRow("negative stock") << 1LL << 2LL << 3LL << -1LL << 1.0 << 1LL << "stock";
        QTest::newRow("zero rate") << 1LL << 2LL << 3LL << 1LL << 0.0 << 1LL << "ratePerSecond";
        QTest::newRow("nan rate") << 1LL << 2LL << 3LL << 1LL
                                  << std::numeric_limits<double>::quiet_NaN() << 1LL
                                  << "ratePerSecond";
        QTest::newRow("infinite rate")
            << 1LL << 2LL << 3LL << 1LL << std::numeric_limits<double>::infinity() << 1LL
            << "ratePerSecond";
        QTest::newRow("zero burst") << 1LL << 2LL << 3LL << 1LL << 1.0 << 0LL << "burst";
    }

    void validate()
    {
        QFETCH(qint64, reveal);
        QFETCH(qint64, start);
        QFETCH(qint64, end);
        QFETCH(qint64, stock);
        QFETCH(double, rate);
        QFETCH(qint64, burst);
        QFETCH(QString, error);
        SaleSchedule s {reveal, start, end, stock, rate, burst};
        const auto status = s.validate();
        QCOMPARE(status.ok(), error.isEmpty());
        if (!error.isEmpty())
            QVERIFY2(status.error().startsWith(error), qPrintable(status.error()));
    }
};

QTEST_APPLESS_MAIN(tst_SaleSchedule)
#include "tst_saleschedule.moc"
