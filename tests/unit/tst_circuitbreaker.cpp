#include "circuitbreaker.h"

#include <QTest>

using namespace flashsale::sale;
using State = CircuitBreaker::State;

class tst_CircuitBreaker : public QObject
{
    Q_OBJECT

private:
    static CircuitBreaker::Settings settings()
    {
        CircuitBreaker::Settings s;
        s.failureRate = 0.5;
        s.minimumCalls = 4;
        s.windowMs = 1000;
        s.openMs = 500;
        return s;
    }

private Q_SLOTS:
    void staysClosedBelowMinimumCalls()
    {
        CircuitBreaker breaker(QStringLiteral("redis"), settings());
        for (int i = 0; i < 3; ++i)
            breaker.recordFailureAt(10);
        QCOMPARE(breaker.stateAt(10), State::Closed);
        QVERIFY(breaker.allowAt(10));
    }

    void opensAtTheFailureRate_data()
    {
        QTest::addColumn<int>("successes");
        QTest::addColumn<int>("failures");
        QTest::addColumn<bool>("open");
        QTest::newRow("2 of 4") << 2 << 2 << true;
        QTest::newRow("4 of 4") << 0 << 4 << true;
        QTest::newRow("2 of 5") << 3 << 2 << false;
        QTest::newRow("all fine") << 10 << 0 << false;
    }

    void opensAtTheFailureRate()
    {
        QFETCH(int, successes);
        QFETCH(int, failures);
        QFETCH(bool, open);
        CircuitBreaker breaker(QStringLiteral("redis"), settings());
        for (int i = 0; i < successes; ++i)
            breaker.recordSuccessAt(100);
        for (int i = 0; i < failures; ++i)
            breaker.recordFailureAt(100);
        QCOMPARE(breaker.stateAt(100), open ? State::Open : State::Closed);
        QCOMPARE(breaker.allowAt(100), !open);
    }

    void oldOutcomesLeaveTheWindow()
    {
        CircuitBreaker breaker(QStringLiteral("redis"), settings());
        breaker.recordFailureAt(0);
        breaker.recordFailureAt(0);
        breaker.recordFailureAt(0);
        // More than a window later, those three no longer count.
        breaker.recordFailureAt(5000);
        QCOMPARE(breaker.stateAt(5000), State::Closed);
        breaker.recordSuccessAt(5001);
        breaker.recordFailureAt(5002);
        breaker.recordFailureAt(5003);
        QCOMPARE(breaker.stateAt(5003), State::Open);
    }

    void halfOpenProbeSucceeds()
    {
        CircuitBreaker breaker(QStringLiteral("redis"), settings());
        for (int i = 0; i < 4; ++i)
            breaker.recordFailureAt(0);
        QVERIFY(!breaker.allowAt(499));
        QCOMPARE(breaker.stateAt(500), State::HalfOpen);
        QVERIFY(breaker.allowAt(500)); // the probe
        QVERIFY(!breaker.allowAt(501)); // only one probe at a time
        breaker.recordSuccessAt(510);
        QCOMPARE(breaker.stateAt(510), State::Closed);
        QVERIFY(breaker.allowAt(511));
        // A fresh window: one failure does not reopen it.
        breaker.recordFailureAt(512);
        QCOMPARE(breaker.stateAt(512), State::Closed);
    }

    void halfOpenProbeFails()
    {
        CircuitBreaker breaker(QStringLiteral("redis"), settings());
        for (int i = 0; i < 4; ++i)
            breaker.recordFailureAt(0);
        QVERIFY(breaker.allowAt(600));
        breaker.recordFailureAt(610);
        QCOMPARE(breaker.stateAt(610), State::Open);
        QVERIFY(!breaker.allowAt(1000)); // open for another 500 ms from 610
        QVERIFY(breaker.allowAt(1110));
    }

    void outcomeAfterTheOpenPeriodDecidesWithoutAProbe_data()
    {
        QTest::addColumn<bool>("failed");
        QTest::addColumn<State>("after");
        QTest::newRow("success closes") << false << State::Closed;
        QTest::newRow("failure opens again") << true << State::Open;
    }

    void outcomeAfterTheOpenPeriodDecidesWithoutAProbe()
    {
        // A caller that only reads state() (the buy path's RabbitMQ breaker, whose outcomes
        // arrive late) never takes the probe; the first outcome past the open period decides.
        QFETCH(bool, failed);
        QFETCH(State, after);
        CircuitBreaker breaker(QStringLiteral("rabbitmq"), settings());
        for (int i = 0; i < 4; ++i)
            breaker.recordFailureAt(0);
        breaker.recordSuccessAt(100); // within the open period: a late outcome, ignored
        QCOMPARE(breaker.stateAt(100), State::Open);
        QCOMPARE(breaker.stateAt(500), State::HalfOpen);
        if (failed)
            breaker.recordFailureAt(600);
        else
            breaker.recordSuccessAt(600);
        QCOMPARE(breaker.stateAt(601), after);
        QCOMPARE(breaker.allowAt(601), !failed);
    }

    void stateNames()
    {
        QCOMPARE(CircuitBreaker::stateName(State::Closed), QStringLiteral("closed"));
        QCOMPARE(CircuitBreaker::stateName(State::Open), QStringLiteral("open"));
        QCOMPARE(CircuitBreaker::stateName(State::HalfOpen), QStringLiteral("half_open"));
    }
};

QTEST_APPLESS_MAIN(tst_CircuitBreaker)
#include "tst_circuitbreaker.moc"
