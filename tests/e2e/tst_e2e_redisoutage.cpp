// End to end, a real server process on the real stack: while Redis is stopped the buy path
// answers the friendly 503 at once (no request hangs), the Redis breaker opens and /healthz
// says Redis is down; when Redis returns, buying works again, the breaker closes and
// /healthz is back to ok. A switch thrown while Redis was down (its announcement lost)
// reaches another instance once its subscription is back, long before its periodic
// reload. Stops the shared stack's Redis: registered RUN_SERIAL.

#include "shopclient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTest>

using namespace flashsale;
using flashsale::test::ServerProcess;
using flashsale::test::ShopClient;
using flashsale::test::TestServices;

class tst_E2eRedisOutage : public QObject
{
    Q_OBJECT

    ShopClient m_client;
    ServerProcess m_server;
    ServerProcess m_second;
    bool m_redisStopped = false;

    QString breaker()
    {
        return m_client.adminCall(m_server, "GET", QStringLiteral("/admin/stats"))
            .body.value(QStringLiteral("breakers"))
            .toObject()
            .value(QStringLiteral("redis"))
            .toString();
    }

    QString redisHealth() { return m_client.dependencyState(m_server, QStringLiteral("redis")); }

private Q_SLOTS:
    void initTestCase()
    {
        const QString databaseUrl = TestServices::instance().createDatabase();
        // Periodic reloads a minute apart: only events (or a resubscription) bring changes.
        const QStringList args =
            ShopClient::serverArgs({QStringLiteral("--config-refresh"), QStringLiteral("60000")});
        QVERIFY2(m_server.start(args, ShopClient::environment(databaseUrl)),
                 qPrintable(m_server.output()));
        QVERIFY(ShopClient::offsetGoodsIds(databaseUrl));
        QVERIFY2(m_second.start(args, ShopClient::environment(databaseUrl)),
                 qPrintable(m_second.output()));
    }

    void cleanupTestCase()
    {
        if (m_redisStopped) // a failed test must not leave the run without Redis
            TestServices::instance().stack({QStringLiteral("start"), QStringLiteral("redis")});
        QCOMPARE(m_second.stop(), 0);
        QCOMPARE(m_server.stop(), 0);
    }

    void outageAnswersAtOnceAndRecovers()
    {
        const qint64 id = m_client.liveSale(m_server, QStringLiteral("Kettle"), 50);
        QVERIFY(id > 0);
        const QByteArray during = m_client.shopper(m_server, QStringLiteral("olga"));
        const QByteArray after = m_client.shopper(m_server, QStringLiteral("piet"));
        QVERIFY(!during.isEmpty() && !after.isEmpty());
        const QUrl buyDuring = m_client.buyUrl(m_server, id, during);
        const QUrl buyAfter = m_client.buyUrl(m_server, id, after);
        QTRY_COMPARE_WITH_TIMEOUT(redisHealth(), QStringLiteral("up"), 5000);
        QCOMPARE(breaker(), QStringLiteral("closed"));

        QCOMPARE(TestServices::instance().stack({QStringLiteral("stop"), QStringLiteral("redis")}),
                 0);
        m_redisStopped = true;

        // Every buy answers 503 degraded at once, never hangs; enough failures open the
        // breaker, after which the answer does not even try Redis.
        for (int i = 0; i < 20; ++i) {
            QElapsedTimer timer;
            timer.start();
            const ShopClient::Reply r = m_client.call("POST", buyDuring, {}, during);
            QVERIFY2(
                timer.elapsed() < 2000,
                qPrintable(QStringLiteral("answer %1 took %2 ms").arg(i).arg(timer.elapsed())));
            QVERIFY2(r.status == 503, r.raw.constData());
            QCOMPARE(r.error(), QStringLiteral("degraded"));
            QVERIFY(r.retryAfter.toInt() >= 1);
            QVERIFY(!r.body.value(QStringLiteral("message")).toString().isEmpty());
        }
        QCOMPARE(breaker(), QStringLiteral("open"));
        QTRY_COMPARE_WITH_TIMEOUT(redisHealth(), QStringLiteral("down"), 5000);
        const QJsonObject health =
            m_client.call("GET", m_server.baseUrl().resolved(QUrl(QStringLiteral("/healthz"))))
                .body;
        QCOMPARE(health.value(QStringLiteral("status")).toString(), QStringLiteral("degraded"));

        // A switch thrown now is committed, but its announcement cannot go out.
        const QByteArray adminBearer = QByteArray("Bearer ") + ShopClient::adminToken;
        const QUrl switchesOnSecond =
            m_second.adminUrl().resolved(QUrl(QStringLiteral("/admin/degradation")));
        QCOMPARE(m_client.call("GET", switchesOnSecond, {}, adminBearer)
                     .body.value(QStringLiteral("site"))
                     .toObject()
                     .value(QStringLiteral("on"))
                     .toBool(),
                 false);
        QCOMPARE(m_client
                     .adminCall(m_server, "PUT", QStringLiteral("/admin/degradation"),
                                QJsonDocument(
                                    QJsonObject {
                                        {QStringLiteral("scope"), QStringLiteral("site")},
                                        {QStringLiteral("on"), true},
                                        {QStringLiteral("message"), QStringLiteral("Maintenance")}})
                                    .toJson())
                     .status,
                 200);

        QCOMPARE(TestServices::instance().stack({QStringLiteral("start"), QStringLiteral("redis")}),
                 0);
        m_redisStopped = false;

        // The second instance reloads when its subscription is back: it sees the switch.
        const auto siteSwitchOnSecond = [&] {
            return m_client.call("GET", switchesOnSecond, {}, adminBearer)
                .body.value(QStringLiteral("site"))
                .toObject()
                .value(QStringLiteral("message"))
                .toString();
        };
        QTRY_COMPARE_WITH_TIMEOUT(siteSwitchOnSecond(), QStringLiteral("Maintenance"), 20'000);
        QCOMPARE(m_client
                     .adminCall(m_server, "PUT", QStringLiteral("/admin/degradation"),
                                QJsonDocument(
                                    QJsonObject {{QStringLiteral("scope"), QStringLiteral("site")},
                                                 {QStringLiteral("on"), false}})
                                    .toJson())
                     .status,
                 200);

        // Once Redis answers again (the breaker's probe goes through), buying works.
        QElapsedTimer timer;
        timer.start();
        ShopClient::Reply r = m_client.call("POST", buyAfter, {}, after);
        while (r.status == 503 && timer.elapsed() < 30'000) {
            QTest::qWait(200);
            r = m_client.call("POST", buyAfter, {}, after);
        }
        QVERIFY2(r.status == 202, r.raw.constData());
        QCOMPARE(r.body.value(QStringLiteral("status")).toString(), QStringLiteral("queued"));
        QCOMPARE(breaker(), QStringLiteral("closed"));
        QTRY_COMPARE_WITH_TIMEOUT(redisHealth(), QStringLiteral("up"), 5000);
        // The stock survived the restart (AOF): one unit taken.
        QTRY_COMPARE_WITH_TIMEOUT(
            m_client.saleStatus(m_server, id).value(QStringLiteral("stockLeft")).toInteger(), 49,
            2000);
    }
};

QTEST_GUILESS_MAIN(tst_E2eRedisOutage)
#include "tst_e2e_redisoutage.moc"
