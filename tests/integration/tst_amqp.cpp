#include "amqpconnection.h"
#include "amqpconsumer.h"
#include "reservationcodec.h"
#include "reservationpublisher.h"
#include "testservices.h"

#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using namespace flashsale;
using namespace flashsale::amqp;
using namespace std::chrono_literals;

namespace {

AmqpUrl brokerUrl()
{
    return AmqpUrl::parse(test::TestServices::instance().amqpUrl()).value();
}

AmqpTopology freshTopology()
{
    return AmqpTopology::withPrefix(
        QStringLiteral("t%1.").arg(QUuid::createUuid().toString(QUuid::Id128).left(12)));
}

Reservation reservation(int i)
{
    return {QStringLiteral("r-%1").arg(i), 1 + i % 3, 1000 + i, 1718000000000 + i};
}

/// Collects what a consumer hands out, decoded, and acks it.
class Collector : public QObject
{
public:
    explicit Collector(AmqpConsumer &consumer, bool autoAck = true)
    {
        connect(&consumer, &AmqpConsumer::received, this,
                [this, &consumer, autoAck](const QList<Delivery> &batch) {
                    for (const Delivery &d : batch) {
                        deliveries.append(d);
                        const auto decoded = ReservationCodec::decode(d.body);
                        QVERIFY2(decoded.ok(), qPrintable(decoded.error()));
                        for (const Reservation &r : decoded.value())
                            ids.append(r.id);
                    }
                    if (autoAck)
                        consumer.ack(batch);
                });
    }
    QList<Delivery> deliveries;
    QStringList ids;
};

} // namespace

class tst_Amqp : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void topologyIsIdempotentAndRefusesAConflict()
    {
        const AmqpTopology topology = freshTopology();
        AmqpConnection connection;
        QVERIFY2(connection.open(brokerUrl(), 3s, 0).ok(), "open");
        Status s = connection.declare(topology);
        QVERIFY2(s.ok(), qPrintable(s.error()));
        s = connection.declare(topology);
        QVERIFY2(s.ok(), qPrintable(s.error()));

        AmqpTopology quorum = topology;
        quorum.quorum = true;
        s = connection.declare(quorum);
        QVERIFY(!s.ok());
        QVERIFY2(s.error().contains(QStringLiteral("PRECONDITION_FAILED")), qPrintable(s.error()));
        QVERIFY(!connection.isOpen());
    }

    void wrongPasswordIsAClearError()
    {
        AmqpUrl url = brokerUrl();
        url.password = QStringLiteral("wrong");
        AmqpConnection connection;
        const Status s = connection.open(url, 3s, 0);
        QVERIFY(!s.ok());
        QVERIFY2(s.error().contains(url.displayName()) && s.error().contains(u"log in"),
                 qPrintable(s.error()));
    }

    void publishesInBatchesAndConsumesEachOnce_data()
    {
        QTest::addColumn<bool>("quorum");
        QTest::newRow("classic") << false;
        QTest::newRow("quorum") << true;
    }

    void publishesInBatchesAndConsumesEachOnce()
    {
        QFETCH(bool, quorum);
        AmqpTopology topology = freshTopology();
        topology.quorum = quorum;
        ReservationPublisher publisher({brokerUrl(), topology});
        QSignalSpy publisherUp(&publisher, &ReservationPublisher::connected);
        publisher.start();
        QVERIFY(publisherUp.wait(10'000));

        constexpr int count = 5000;
        QStringList confirmed;
        int failures = 0;
        // From several threads at once, as HTTP handlers would.
        QList<QThread *> threads;
        for (int t = 0; t < 4; ++t) {
            threads.append(QThread::create([&publisher, t, this, &confirmed, &failures] {
                for (int i = t; i < count; i += 4)
                    publisher.publish(
                        reservation(i), this,
                        [&confirmed, &failures](const Reservation &r, const Status &s) {
                            if (s)
                                confirmed.append(r.id);
                            else
                                ++failures;
                        });
            }));
            threads.last()->start();
        }
        for (QThread *t : threads) {
            t->wait();
            delete t;
        }
        QTRY_COMPARE_WITH_TIMEOUT(confirmed.size(), count, 20'000);
        QCOMPARE(failures, 0);
        QCOMPARE(QSet<QString>(confirmed.cbegin(), confirmed.cend()).size(), count);
        // Batching: far fewer messages than reservations.
        QVERIFY2(publisher.stats().messagesPublished < count / 4,
                 qPrintable(QString::number(publisher.stats().messagesPublished)));

        AmqpConsumer consumer({brokerUrl(), topology});
        Collector collector(consumer);
        consumer.start();
        QTRY_COMPARE_WITH_TIMEOUT(collector.ids.size(), count, 20'000);
        QCOMPARE(QSet<QString>(collector.ids.cbegin(), collector.ids.cend()).size(), count);
        QTRY_COMPARE(consumer.stats().acked.load(), consumer.stats().received.load());
        for (const Delivery &d : std::as_const(collector.deliveries))
            QCOMPARE(d.attempt, 1);
    }

    void unreachableBrokerFailsTheCallerAfterGivingUp()
    {
        AmqpUrl url = brokerUrl();
        url.port = 1; // nothing listens there
        PublisherOptions options {url, freshTopology()};
        options.giveUpAfter = 500ms;
        options.connectTimeout = 200ms;
        ReservationPublisher publisher(options);
        QSignalSpy down(&publisher, &ReservationPublisher::disconnected);
        publisher.start();
        std::optional<Status> outcome;
        publisher.publish(reservation(1), this,
                          [&outcome](const Reservation &, const Status &s) { outcome = s; });
        QVERIFY(down.wait(5000));
        QVERIFY2(down.first().first().toString().contains(u":1"),
                 qPrintable(down.first().first().toString()));
        QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 5000);
        QVERIFY(!outcome->ok());
        QVERIFY2(outcome->error().contains(u"did not confirm"), qPrintable(outcome->error()));
    }

    void callbackForADeadContextIsDropped()
    {
        const AmqpTopology topology = freshTopology();
        ReservationPublisher publisher({brokerUrl(), topology});
        publisher.start();
        bool called = false;
        auto *context = new QObject;
        publisher.publish(reservation(1), context,
                          [&called](const Reservation &, const Status &) { called = true; });
        delete context;
        QTRY_COMPARE_WITH_TIMEOUT(publisher.stats().reservationsConfirmed.load(), 1, 10'000);
        QTest::qWait(100);
        QVERIFY(!called);
    }

    void publishAfterStopFails()
    {
        ReservationPublisher publisher({brokerUrl(), freshTopology()});
        publisher.start();
        publisher.stop();
        std::optional<Status> outcome;
        publisher.publish(reservation(1), this,
                          [&outcome](const Reservation &, const Status &s) { outcome = s; });
        QTRY_VERIFY(outcome.has_value());
        QVERIFY(outcome->error().contains(u"stopped"));
    }

    void retriesCountAttemptsThenDeadLetter()
    {
        const AmqpTopology topology = freshTopology();
        ReservationPublisher publisher({brokerUrl(), topology});
        publisher.start();
        publisher.publish(reservation(7), nullptr, {});
        ConsumerOptions options {brokerUrl(), topology};
        options.maxAttempts = 3;
        AmqpConsumer consumer(options);
        QList<int> attempts;
        connect(&consumer, &AmqpConsumer::received, this, [&](const QList<Delivery> &batch) {
            for (const Delivery &d : batch)
                attempts.append(d.attempt);
            consumer.retry(batch); // always fails
        });
        consumer.start();
        QTRY_COMPARE_WITH_TIMEOUT(consumer.stats().deadLettered.load(), 1, 10'000);
        QCOMPARE(attempts, (QList<int> {1, 2, 3}));
        QCOMPARE(consumer.stats().retried.load(), 2);

        ConsumerOptions deadOptions {brokerUrl(), topology, topology.deadLetterQueue};
        AmqpConsumer dead(deadOptions);
        Collector collector(dead);
        dead.start();
        QTRY_COMPARE_WITH_TIMEOUT(collector.ids, QStringList {QStringLiteral("r-7")}, 10'000);
    }

    void redeliveryAfterAConsumerDiesIsCounted()
    {
        const AmqpTopology topology = freshTopology();
        ReservationPublisher publisher({brokerUrl(), topology});
        publisher.start();
        for (int i = 0; i < 10; ++i)
            publisher.publish(reservation(i), nullptr, {});
        QTRY_COMPARE_WITH_TIMEOUT(publisher.stats().reservationsConfirmed.load(), 10, 10'000);
        {
            AmqpConsumer first({brokerUrl(), topology});
            Collector collector(first, false); // dies before settling anything
            first.start();
            QTRY_COMPARE_WITH_TIMEOUT(collector.ids.size(), 10, 10'000);
        }
        AmqpConsumer second({brokerUrl(), topology});
        Collector collector(second);
        second.start();
        QTRY_COMPARE_WITH_TIMEOUT(collector.ids.size(), 10, 10'000);
        for (const Delivery &d : std::as_const(collector.deliveries))
            QCOMPARE(d.attempt, 2);
        QVERIFY(second.stats().redelivered.load() >= 1);
    }

    void acksInRunsWithMultiple()
    {
        const AmqpTopology topology = freshTopology();
        PublisherOptions pubOptions {brokerUrl(), topology};
        pubOptions.maxBatch = 1; // one message per reservation
        ReservationPublisher publisher(pubOptions);
        publisher.start();
        for (int i = 0; i < 50; ++i)
            publisher.publish(reservation(i), nullptr, {});
        QTRY_COMPARE_WITH_TIMEOUT(publisher.stats().reservationsConfirmed.load(), 50, 10'000);

        AmqpConsumer consumer({brokerUrl(), topology});
        Collector collector(consumer, false);
        consumer.start();
        QTRY_COMPARE_WITH_TIMEOUT(collector.deliveries.size(), 50, 10'000);
        // Out of order and with a gap: the gap is dead-lettered, the rest acked.
        QList<Delivery> all = collector.deliveries;
        std::reverse(all.begin(), all.end());
        const Delivery poison = all.takeAt(20);
        consumer.deadLetter({poison});
        consumer.ack(all);
        QTRY_COMPARE(consumer.stats().acked.load(), 49);
        QCOMPARE(consumer.stats().deadLettered.load(), 1);
        consumer.ack(all); // settled already: ignored, the channel stays up
        // A message published after it comes back on the same channel: had the broker
        // closed it for the second ack, the consumer would have reconnected first.
        publisher.publish(reservation(50), nullptr, {});
        QTRY_COMPARE_WITH_TIMEOUT(collector.deliveries.size(), 51, 10'000);
        QVERIFY(consumer.isConnected());
        QCOMPARE(consumer.stats().connects.load(), 1);
        consumer.ack({collector.deliveries.last()});
        QTRY_COMPARE(consumer.stats().acked.load(), 50);

        // Nothing is left to deliver: a new consumer's first message is one published after
        // it started (anything left would be ahead of it in the queue).
        consumer.stop();
        AmqpConsumer again({brokerUrl(), topology});
        Collector more(again);
        again.start();
        QTRY_VERIFY_WITH_TIMEOUT(again.isConnected(), 10'000);
        publisher.publish(reservation(51), nullptr, {});
        QTRY_COMPARE_WITH_TIMEOUT(more.ids.size(), 1, 10'000);
        QCOMPARE(more.ids, QStringList {QStringLiteral("r-51")});
    }

    void survivesABrokerRestart()
    {
        const AmqpTopology topology = freshTopology();
        PublisherOptions options {brokerUrl(), topology};
        options.giveUpAfter = 120s;
        ReservationPublisher publisher(options);
        publisher.start();
        AmqpConsumer consumer({brokerUrl(), topology});
        Collector collector(consumer);
        consumer.start();
        QTRY_VERIFY_WITH_TIMEOUT(publisher.isConnected() && consumer.isConnected(), 10'000);

        int confirmed = 0;
        int failed = 0;
        auto publishRange = [&](int from, int to) {
            for (int i = from; i < to; ++i)
                publisher.publish(reservation(i), this, [&](const Reservation &, const Status &s) {
                    s ? ++confirmed : ++failed;
                });
        };
        publishRange(0, 1000);
        QTRY_COMPARE_WITH_TIMEOUT(confirmed, 1000, 10'000);
        // Keep publishing while the broker goes down and comes back: some messages are in
        // flight when the connection drops and must be published again.
        std::atomic<bool> restarted {false};
        std::unique_ptr<QThread> restarter(QThread::create([&restarted] {
            QCOMPARE(test::TestServices::instance().stack(
                         {QStringLiteral("restart"), QStringLiteral("rabbitmq")}),
                     0);
            restarted = true;
        }));
        restarter->start();
        int next = 1000;
        while (!restarted) {
            publishRange(next, next + 10);
            next += 10;
            QTest::qWait(10);
        }
        restarter->wait();
        publishRange(next, next + 1000); // right after the restart, maybe still reconnecting
        next += 1000;
        QTRY_COMPARE_WITH_TIMEOUT(confirmed, next, 120'000);
        QCOMPARE(failed, 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            QSet<QString>(collector.ids.cbegin(), collector.ids.cend()).size() == next, 60'000);
        qInfo() << next << "reservations," << publisher.stats().republished.load()
                << "messages republished," << collector.ids.size() - next << "duplicates";
        QVERIFY(publisher.stats().connects.load() >= 2);
        QVERIFY(consumer.stats().connects.load() >= 2);
    }
};

QTEST_GUILESS_MAIN(tst_Amqp)
#include "tst_amqp.moc"
