// flashsale-server running the worker role as an operator runs it, against the real stack:
// lost publishes recovered by its reconciler, orders made by its workers, unpaid orders
// cancelled by its payment timeout, RabbitMQ and Redis in /healthz, bad settings refused.

#include "ordertestsupport.h"
#include "serverprocess.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>

using namespace flashsale;
using flashsale::test::ServerProcess;
using flashsale::test::TestServices;
using redis::ShopperStatus;

class tst_WorkerRole : public QObject
{
    Q_OBJECT

private:
    test::OrderFixture m_fixture;
    QNetworkAccessManager m_network;

    QJsonObject health(const ServerProcess &server)
    {
        QNetworkReply *reply = m_network.get(
            QNetworkRequest(server.baseUrl().resolved(QUrl(QStringLiteral("/healthz")))));
        QEventLoop loop;
        connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
        reply->deleteLater();
        return body.value(QStringLiteral("dependencies")).toObject();
    }

    QString state(const ServerProcess &server, const QString &dependency)
    {
        return health(server)
            .value(dependency)
            .toObject()
            .value(QStringLiteral("state"))
            .toString();
    }

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("FLASHSALE_DATABASE_URL"), m_fixture.databaseUrl());
        return env;
    }

private Q_SLOTS:
    void initTestCase() { m_fixture.open(); }
    void cleanupTestCase() { m_fixture.close(); }

    // Three shoppers reserve and no order message is ever published: the server's
    // reconciler publishes them, its workers make the orders, and, unpaid, its payment
    // timeout cancels them, giving the units back in both places.
    void reservationsBecomeOrdersThenTimeOut()
    {
        const qint64 goods = m_fixture.createSale(10);
        const QList<amqp::Reservation> reservations = m_fixture.reserve(goods, 900'000, 3);
        ServerProcess server;
        QVERIFY2(server.start({QStringLiteral("--role"), QStringLiteral("all"),
                               QStringLiteral("--workers"), QStringLiteral("1"),
                               QStringLiteral("--reconcile-after-ms"), QStringLiteral("300"),
                               QStringLiteral("--reconcile-interval-ms"), QStringLiteral("300"),
                               QStringLiteral("--payment-timeout-s"), QStringLiteral("3")},
                              environment()),
                 qPrintable(server.output()));
        QTRY_COMPARE_WITH_TIMEOUT(state(server, QStringLiteral("rabbitmq-consumers")),
                                  QStringLiteral("up"), 20'000);
        QTRY_COMPARE_WITH_TIMEOUT(state(server, QStringLiteral("redis-workers")),
                                  QStringLiteral("up"), 20'000);

        QTRY_COMPARE_WITH_TIMEOUT(m_fixture.orders(goods), 3, 30'000);
        QTRY_COMPARE_WITH_TIMEOUT(m_fixture.inventory(goods).pending, 0, 30'000);
        QCOMPARE(m_fixture.databaseStock(goods), 7);
        QCOMPARE(m_fixture.inventory(goods).stock, 7);
        QVERIFY(m_fixture.status(goods, reservations.first().userId).state
                == ShopperStatus::State::Created);

        // Nobody pays: after 3 s (and a sweep) they are cancelled, their units back.
        QTRY_COMPARE_WITH_TIMEOUT(m_fixture.orders(goods, QStringLiteral("cancelled")), 3, 30'000);
        QCOMPARE(m_fixture.databaseStock(goods), 10);
        QTRY_COMPARE_WITH_TIMEOUT(m_fixture.inventory(goods).stock, 10, 10'000);
        const ShopperStatus s = m_fixture.status(goods, reservations.first().userId);
        QCOMPARE(s.state, ShopperStatus::State::Failed);
        QCOMPARE(s.reason, QByteArray("cancelled"));

        QCOMPARE(server.stop(), 0);
        const QString output = server.output();
        QVERIFY2(output.contains(QStringLiteral("worker role: 1 order workers")),
                 qPrintable(output));
        QVERIFY2(output.contains(QStringLiteral("published again")), qPrintable(output));
    }

    void badWorkerSettingsExitWithCode2_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("workers") << QStringList {QStringLiteral("--workers"), QStringLiteral("x")}
                                 << QStringLiteral("workers:");
        QTest::newRow("batch") << QStringList {QStringLiteral("--worker-batch"),
                                               QStringLiteral("0")}
                               << QStringLiteral("worker-batch:");
        QTest::newRow("timeout") << QStringList {QStringLiteral("--payment-timeout-s"),
                                                 QStringLiteral("-1")}
                                 << QStringLiteral("payment-timeout-s:");
        QTest::newRow("quorum") << QStringList {QStringLiteral("--quorum-queues"),
                                                QStringLiteral("maybe")}
                                << QStringLiteral("quorum-queues:");
        QTest::newRow("redis url")
            << QStringList {QStringLiteral("--role"), QStringLiteral("worker"),
                            QStringLiteral("--redis-url"), QStringLiteral("http://nope")}
            << QStringLiteral("redis-url:");
    }

    void badWorkerSettingsExitWithCode2()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        ServerProcess server;
        QVERIFY(!server.start(args, environment(), 15'000));
        const int code = server.waitForExit();
        const QString output = server.output();
        QVERIFY2(output.contains(message), qPrintable(output));
        QVERIFY2(code == 2, qPrintable(output));
    }
};

QTEST_GUILESS_MAIN(tst_WorkerRole)
#include "tst_workerrole.moc"
