#include "admissiongate.h"

#include <QTest>
#include <QThread>

#include <atomic>

using namespace flashsale::sale;

class tst_AdmissionGate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void refusesPastTheLimit()
    {
        AdmissionGate gate(2);
        auto a = gate.tryEnter();
        auto b = gate.tryEnter();
        QVERIFY(a && b);
        QVERIFY(!gate.tryEnter());
        QCOMPARE(gate.inFlight(), 2);
        QCOMPARE(gate.refused(), 1LL);
        a.reset();
        QCOMPARE(gate.inFlight(), 1);
        QVERIFY(gate.tryEnter());
    }

    void ticketsMoveAndReleaseOnce()
    {
        AdmissionGate gate(1);
        {
            auto t = gate.tryEnter();
            QVERIFY(t);
            AdmissionGate::Ticket moved = std::move(*t);
            t.reset(); // the moved-from ticket must not release
            QCOMPARE(gate.inFlight(), 1);
            moved.release();
            QCOMPARE(gate.inFlight(), 0);
        }
        QCOMPARE(gate.inFlight(), 0);
    }

    void concurrentEntriesNeverExceedTheLimit()
    {
        AdmissionGate gate(3);
        std::atomic<int> maxSeen = 0;
        std::atomic<int> admitted = 0;
        QList<QThread *> threads;
        for (int i = 0; i < 6; ++i) {
            threads.append(QThread::create([&] {
                for (int n = 0; n < 20'000; ++n) {
                    if (auto ticket = gate.tryEnter()) {
                        admitted.fetch_add(1);
                        int seen = gate.inFlight();
                        int prev = maxSeen.load();
                        while (seen > prev && !maxSeen.compare_exchange_weak(prev, seen)) { }
                    }
                }
            }));
            threads.last()->start();
        }
        for (QThread *t : threads) {
            QVERIFY(t->wait(30'000));
            delete t;
        }
        QVERIFY(admitted.load() > 0);
        QVERIFY2(maxSeen.load() <= 3, qPrintable(QString::number(maxSeen.load())));
        QCOMPARE(gate.inFlight(), 0);
        QCOMPARE(admitted.load() + gate.refused(), 6LL * 20'000);
    }
};

QTEST_APPLESS_MAIN(tst_AdmissionGate)
#include "tst_admissiongate.moc"
