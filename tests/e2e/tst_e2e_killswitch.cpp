// End to end, two real server processes on the real stack: the kill switch thrown through
// one instance's admin API stops buying on the other within a second (measured from
// before the admin call), for one product and for the whole site, and lifting it reopens.

#include "shopclient.h"

#include <QElapsedTimer>
#include <QTest>

using namespace flashsale;
using flashsale::test::ServerProcess;
using flashsale::test::ShopClient;
using flashsale::test::TestServices;

class tst_E2eKillSwitch : public QObject
{
    Q_OBJECT

    ShopClient m_client;
    ServerProcess m_first;
    ServerProcess m_second;
    QByteArray m_bearer;
    qint64 m_goodsId = 0;
    QUrl m_buyOnSecond;

    // Buys on the second instance until \a done says the answer is the one awaited or a
    // second has passed since \a timer started; the last answer.
    ShopClient::Reply buyUntil(const QElapsedTimer &timer,
                               const std::function<bool(const ShopClient::Reply &)> &done)
    {
        ShopClient::Reply r = m_client.call("POST", m_buyOnSecond, {}, m_bearer);
        while (!done(r) && timer.elapsed() < 1000) {
            QTest::qWait(10);
            r = m_client.call("POST", m_buyOnSecond, {}, m_bearer);
        }
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString databaseUrl = TestServices::instance().createDatabase();
        // The periodic reload is a minute away: only the Redis announcement is that fast.
        const QStringList args =
            ShopClient::serverArgs({QStringLiteral("--config-refresh"), QStringLiteral("60000")});
        QVERIFY2(m_first.start(args, ShopClient::environment(databaseUrl)),
                 qPrintable(m_first.output()));
        QVERIFY(ShopClient::offsetGoodsIds(databaseUrl));
        QVERIFY2(m_second.start(args, ShopClient::environment(databaseUrl)),
                 qPrintable(m_second.output()));
        m_bearer = m_client.shopper(m_first, QStringLiteral("kim"));
        QVERIFY(!m_bearer.isEmpty());
        m_goodsId = m_client.liveSale(m_first, QStringLiteral("Lamp"), 50);
        QVERIFY(m_goodsId > 0);
        const QUrl onFirst = m_client.buyUrl(m_first, m_goodsId, m_bearer);
        m_buyOnSecond = m_second.baseUrl().resolved(QUrl(onFirst.path()));
        const QUrl saleOnSecond =
            m_second.baseUrl().resolved(QUrl(QStringLiteral("/api/sales/%1").arg(m_goodsId)));
        QTRY_COMPARE_WITH_TIMEOUT(m_client.call("GET", saleOnSecond).status, 200, 2000);
    }

    void cleanupTestCase()
    {
        QCOMPARE(m_second.stop(), 0);
        QCOMPARE(m_first.stop(), 0);
    }

    void switchReachesTheOtherInstanceWithinASecond_data()
    {
        QTest::addColumn<bool>("site");
        QTest::newRow("product") << false;
        QTest::newRow("site") << true;
    }

    void switchReachesTheOtherInstanceWithinASecond()
    {
        QFETCH(bool, site);
        const QString message =
            site ? QStringLiteral("Back at noon") : QStringLiteral("Restocking");
        const QJsonValue scope = site ? QJsonValue(QStringLiteral("site")) : QJsonValue(m_goodsId);
        QElapsedTimer timer;
        timer.start();
        const ShopClient::Reply on =
            m_client.adminCall(m_first, "PUT", QStringLiteral("/admin/degradation"),
                               QJsonDocument(QJsonObject {{QStringLiteral("scope"), scope},
                                                          {QStringLiteral("on"), true},
                                                          {QStringLiteral("message"), message}})
                                   .toJson());
        QCOMPARE(on.status, 200);
        ShopClient::Reply r = buyUntil(timer, [&](const ShopClient::Reply &reply) {
            return reply.status == 503 && reply.body.value(QStringLiteral("message")) == message;
        });
        const qint64 took = timer.elapsed();
        QVERIFY2(took < 1000, qPrintable(QStringLiteral("%1 ms").arg(took)));
        QCOMPARE(r.status, 503);
        QCOMPARE(r.error(), QStringLiteral("degraded"));
        QVERIFY(r.retryAfter.toInt() >= 1);

        // Lifted on the first instance: the second takes buy requests again within a second
        // (whatever they come to: this shopper's one unit, then too_frequent or duplicate).
        timer.restart();
        QCOMPARE(m_client
                     .adminCall(m_first, "PUT", QStringLiteral("/admin/degradation"),
                                QJsonDocument(QJsonObject {{QStringLiteral("scope"), scope},
                                                           {QStringLiteral("on"), false}})
                                    .toJson())
                     .status,
                 200);
        r = buyUntil(timer, [](const ShopClient::Reply &reply) { return reply.status != 503; });
        QVERIFY2(timer.elapsed() < 1000, qPrintable(QStringLiteral("%1 ms").arg(timer.elapsed())));
        QVERIFY2(r.status == 202 || r.status == 409 || r.status == 429, r.raw.constData());
    }
};

QTEST_GUILESS_MAIN(tst_E2eKillSwitch)
#include "tst_e2e_killswitch.moc"
