#include "tokenbucket.h"

#include <QElapsedTimer>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace flashsale::sale;

namespace {
constexpr qint64 ms = 1000; // microseconds
}

class tst_TokenBucket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void newBucketGrantsOneThenPaces()
    {
        TokenBucket bucket(5, 5, 0); // one permit every 200 ms
        QCOMPARE(bucket.tryReserveAt(1, 0, 0), std::optional<qint64>(0));
        // The first caller paid in advance: the next permit is 200 ms away.
        QCOMPARE(bucket.tryReserveAt(1, 0, 0), std::nullopt);
        QCOMPARE(bucket.tryReserveAt(1, 0, 199 * ms), std::nullopt);
        QCOMPARE(bucket.tryReserveAt(1, 0, 200 * ms), std::optional<qint64>(0));
        QCOMPARE(bucket.timeUntilAvailableAt(200 * ms), 200 * ms);
    }

    void timeoutWaitsForAFuturePermit()
    {
        TokenBucket bucket(10, 1, 0);
        QVERIFY(bucket.tryReserveAt(1, 0, 0));
        QCOMPARE(bucket.tryReserveAt(1, 50 * ms, 0), std::nullopt); // 100 ms needed
        QCOMPARE(bucket.tryReserveAt(1, 100 * ms, 0), std::optional<qint64>(100 * ms));
        // That reservation moved the next free moment to 200 ms.
        QCOMPARE(bucket.tryReserveAt(1, 150 * ms, 0), std::nullopt);
        QCOMPARE(bucket.tryReserveAt(1, 200 * ms, 0), std::optional<qint64>(200 * ms));
    }

    void idleTimeStoresUpToTheBurst_data()
    {
        QTest::addColumn<qint64>("idleMs");
        QTest::addColumn<int>("immediate");
        // Guava SmoothBursty: stored permits plus one paid in advance.
        QTest::newRow("half a second") << 500LL << 3; // 2.5 stored, the 3rd borrows
        QTest::newRow("one second") << 1000LL << 6;
        QTest::newRow("ten seconds, capped") << 10'000LL << 6;
    }

    void idleTimeStoresUpToTheBurst()
    {
        QFETCH(qint64, idleMs);
        QFETCH(int, immediate);
        TokenBucket bucket(5, 5, 0);
        QVERIFY(bucket.tryReserveAt(1, 0, 0)); // next free at 200 ms
        const qint64 now = 200 * ms + idleMs * ms;
        int granted = 0;
        while (bucket.tryReserveAt(1, 0, now))
            ++granted;
        QCOMPARE(granted, immediate);
    }

    void severalPermitsAtOnce()
    {
        TokenBucket bucket(10, 10, 0);
        QVERIFY(bucket.tryReserveAt(1, 0, 0));
        // After 2 s: 10 stored. 15 at once: 10 stored + 5 borrowed (500 ms debt).
        QCOMPARE(bucket.tryReserveAt(15, 0, 2100 * ms), std::optional<qint64>(0));
        QCOMPARE(bucket.timeUntilAvailableAt(2100 * ms), 500 * ms);
    }

    void rateChangeKeepsFillRatio()
    {
        TokenBucket bucket(10, 10, 0);
        QVERIFY(bucket.tryReserveAt(1, 0, 0));
        // At 600 ms: 5 of 10 stored. Halving the burst keeps half full: 2.5 stored.
        bucket.setRateAt(100, 5, 600 * ms);
        QCOMPARE(bucket.rate(), 100.0);
        QCOMPARE(bucket.burst(), 5.0);
        int granted = 0;
        while (bucket.tryReserveAt(1, 0, 600 * ms))
            ++granted;
        QCOMPARE(granted, 3);
        // And the new rate applies: 10 ms per permit.
        QVERIFY(!bucket.tryReserveAt(1, 0, 600 * ms + 4 * ms));
        QVERIFY(bucket.tryReserveAt(1, 0, 600 * ms + 10 * ms));
    }

    void aLateCallerWithAnOlderTimeFindsTheBucketAsItIs()
    {
        // A bucket that cannot run dry (10 million a second), as a heavy sale sets it.
        TokenBucket bucket(10'000'000, 10'000'000, 0);
        QVERIFY(bucket.tryReserveAt(1, 5 * ms, 10'000 * ms));
        // A caller that read the clock 6 ms earlier but took the lock after the one above
        // (preempted in between): served, not refused as if the bucket were empty.
        QCOMPARE(bucket.tryReserveAt(1, 5 * ms, 10'000 * ms - 6 * ms), std::optional<qint64>(0));
        // An empty bucket stays empty for a late caller too.
        TokenBucket slow(10, 1, 0);
        QVERIFY(slow.tryReserveAt(1, 0, 0));
        QVERIFY(slow.tryReserveAt(1, 0, 100 * ms)); // next free at 200 ms
        QCOMPARE(slow.tryReserveAt(1, 0, 50 * ms), std::nullopt);
    }

    void zeroOrNegativePermitsAreFree()
    {
        TokenBucket bucket(1, 1, 0);
        QCOMPARE(bucket.tryReserveAt(0, 0, 0), std::optional<qint64>(0));
        QCOMPARE(bucket.tryReserveAt(-3, 0, 0), std::optional<qint64>(0));
    }

    void blockingTryAcquireWaits()
    {
        TokenBucket bucket(20, 1); // 50 ms apart
        QVERIFY(bucket.tryAcquire());
        QVERIFY(!bucket.tryAcquire());
        QElapsedTimer timer;
        timer.start();
        QVERIFY(bucket.tryAcquire(1, std::chrono::milliseconds(1000)));
        QVERIFY2(timer.elapsed() >= 40, qPrintable(QString::number(timer.elapsed())));
        QVERIFY(!bucket.tryAcquire(1, std::chrono::microseconds(0)));
    }

    void concurrentCallersNeverExceedTheRate()
    {
        // Real threads, real clock: whatever the interleaving, the permits granted over
        // the measured time never exceed burst + 1 + rate * elapsed.
        const double rate = 2000;
        TokenBucket bucket(rate, 50);
        std::atomic<long long> granted = 0;
        QElapsedTimer timer;
        timer.start();
        QList<QThread *> threads;
        for (int i = 0; i < 4; ++i) {
            threads.append(QThread::create([&] {
                QElapsedTimer own;
                own.start();
                while (own.elapsed() < 300) {
                    if (bucket.tryAcquire())
                        granted.fetch_add(1);
                }
            }));
            threads.last()->start();
        }
        for (QThread *t : threads) {
            QVERIFY(t->wait(10'000));
            delete t;
        }
        const double elapsedSeconds = timer.nsecsElapsed() / 1e9;
        const double bound = 50 + 1 + rate * elapsedSeconds;
        QVERIFY2(granted.load() <= bound,
                 qPrintable(QStringLiteral("%1 granted, bound %2").arg(granted.load()).arg(bound)));
        QVERIFY(granted.load() > 0);
    }
};

QTEST_APPLESS_MAIN(tst_TokenBucket)
#include "tst_tokenbucket.moc"
