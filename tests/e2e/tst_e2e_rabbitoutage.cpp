// End to end, a real server process (API and worker roles) on the real stack: while RabbitMQ
// is stopped, buys are still answered 202 at once (the reservation is in Redis and the
// publisher holds its message) until the publisher's backlog is full, then 503 degraded;
// when RabbitMQ returns, every 202 becomes exactly one order, and buying works again.
// Stops the shared stack's RabbitMQ: registered RUN_SERIAL.

#include "shopclient.h"

#include <QElapsedTimer>
#include <QTest>

using namespace flashsale;
using flashsale::test::ServerProcess;
using flashsale::test::ShopClient;
using flashsale::test::TestServices;

class tst_E2eRabbitOutage : public QObject
{
    Q_OBJECT

    static constexpr int backlog = 3; ///< --publish-backlog of the server under test

    ShopClient m_client;
    ServerProcess m_server;
    bool m_rabbitStopped = false;

    QString rabbitHealth()
    {
        return m_client.dependencyState(m_server, QStringLiteral("rabbitmq"));
    }

    QJsonObject saleStatus(qint64 id) { return m_client.saleStatus(m_server, id); }

    QString orderStatus(qint64 id, const QByteArray &bearer)
    {
        return m_client
            .call("GET",
                  m_server.baseUrl().resolved(
                      QUrl(QStringLiteral("/api/sales/%1/orders/me").arg(id))),
                  {}, bearer)
            .body.value(QStringLiteral("status"))
            .toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString databaseUrl = TestServices::instance().createDatabase();
        QVERIFY2(m_server.start(ShopClient::serverArgs({QStringLiteral("--publish-backlog"),
                                                        QString::number(backlog)}),
                                ShopClient::environment(databaseUrl)),
                 qPrintable(m_server.output()));
        QVERIFY(ShopClient::offsetGoodsIds(databaseUrl));
    }

    void cleanupTestCase()
    {
        if (m_rabbitStopped) // a failed test must not leave the run without RabbitMQ
            TestServices::instance().stack({QStringLiteral("start"), QStringLiteral("rabbitmq")});
        QCOMPARE(m_server.stop(), 0);
    }

    void outageKeepsEveryReservation()
    {
        const qint64 id = m_client.liveSale(m_server, QStringLiteral("Lamp"), 20);
        QVERIFY(id > 0);
        QList<QByteArray> shoppers;
        QList<QUrl> buys;
        for (int i = 0; i <= backlog; ++i) {
            shoppers.append(m_client.shopper(m_server, QStringLiteral("rabbit-%1").arg(i)));
            QVERIFY(!shoppers.last().isEmpty());
            buys.append(m_client.buyUrl(m_server, id, shoppers.last()));
        }
        QTRY_COMPARE_WITH_TIMEOUT(rabbitHealth(), QStringLiteral("up"), 10'000);

        QCOMPARE(
            TestServices::instance().stack({QStringLiteral("stop"), QStringLiteral("rabbitmq")}),
            0);
        m_rabbitStopped = true;
        QTRY_COMPARE_WITH_TIMEOUT(rabbitHealth(), QStringLiteral("down"), 15'000);

        // The first `backlog` shoppers are answered 202 at once: their units are reserved in
        // Redis and their messages wait in the publisher.
        for (int i = 0; i < backlog; ++i) {
            QElapsedTimer timer;
            timer.start();
            const ShopClient::Reply r = m_client.call("POST", buys.at(i), {}, shoppers.at(i));
            QVERIFY2(r.status == 202, r.raw.constData());
            QVERIFY2(timer.elapsed() < 2000,
                     qPrintable(QStringLiteral("202 took %1 ms").arg(timer.elapsed())));
            QCOMPARE(orderStatus(id, shoppers.at(i)), QStringLiteral("queued"));
        }
        // Then the backlog is full: the friendly 503, at once, and no unit taken.
        const ShopClient::Reply refused = m_client.call("POST", buys.last(), {}, shoppers.last());
        QVERIFY2(refused.status == 503, refused.raw.constData());
        QCOMPARE(refused.error(), QStringLiteral("degraded"));
        QVERIFY(refused.retryAfter.toInt() >= 1);
        QCOMPARE(saleStatus(id).value(QStringLiteral("pending")).toInteger(), backlog);
        QCOMPARE(saleStatus(id).value(QStringLiteral("stockLeft")).toInteger(), 20 - backlog);

        QCOMPARE(
            TestServices::instance().stack({QStringLiteral("start"), QStringLiteral("rabbitmq")}),
            0);
        m_rabbitStopped = false;

        // Every 202 becomes an order once the publisher and the worker are back.
        for (int i = 0; i < backlog; ++i)
            QTRY_COMPARE_WITH_TIMEOUT(orderStatus(id, shoppers.at(i)), QStringLiteral("created"),
                                      60'000);
        // And the refused shopper can buy now.
        QElapsedTimer timer;
        timer.start();
        ShopClient::Reply r = m_client.call("POST", buys.last(), {}, shoppers.last());
        while (r.status == 503 && timer.elapsed() < 30'000) {
            QTest::qWait(200);
            r = m_client.call("POST", buys.last(), {}, shoppers.last());
        }
        QVERIFY2(r.status == 202, r.raw.constData());
        QTRY_COMPARE_WITH_TIMEOUT(orderStatus(id, shoppers.last()), QStringLiteral("created"),
                                  30'000);
        QTRY_COMPARE_WITH_TIMEOUT(saleStatus(id).value(QStringLiteral("pending")).toInteger(), 0,
                                  10'000);
        const QJsonObject status = saleStatus(id);
        QCOMPARE(status.value(QStringLiteral("ordersCreated")).toInteger(), backlog + 1);
        QCOMPARE(status.value(QStringLiteral("stockLeft")).toInteger(), 20 - backlog - 1);
        QTRY_COMPARE_WITH_TIMEOUT(rabbitHealth(), QStringLiteral("up"), 10'000);
    }
};

QTEST_GUILESS_MAIN(tst_E2eRabbitOutage)
#include "tst_e2e_rabbitoutage.moc"
