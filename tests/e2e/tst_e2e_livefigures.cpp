// The site's live figures on the real stack: two API instances and a worker process, real
// shoppers' load. /admin/stats (read from either instance) sums what every live instance
// published into Redis; its rates must match what the clients saw and what the database
// holds, and RabbitMQ's queue depth must follow a worker that stops and resumes.

#include "shopclient.h"

#include <QJsonArray>
#include <QMutex>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

#include <atomic>

#include <signal.h>

using namespace flashsale;
using flashsale::test::ServerProcess;
using flashsale::test::ShopClient;
using flashsale::test::TestServices;

namespace {

constexpr int loadShoppers = 40;
constexpr int loadSeconds = 6;

/// One HTTP/1.1 POST on a kept-alive blocking socket; the status, 0 on failure.
int blockingPost(QTcpSocket &socket, const QUrl &url, const QByteArray &bearer)
{
    if (socket.state() != QAbstractSocket::ConnectedState) {
        socket.connectToHost(url.host(), quint16(url.port()));
        if (!socket.waitForConnected(10'000))
            return 0;
    }
    socket.write("POST " + url.path().toLatin1() + " HTTP/1.1\r\nHost: " + url.host().toLatin1()
                 + "\r\nAuthorization: " + bearer + "\r\nContent-Length: 0\r\n\r\n");
    QByteArray data;
    qsizetype headerEnd = -1;
    qsizetype length = -1;
    while (headerEnd < 0 || data.size() < headerEnd + 4 + length) {
        if (!socket.waitForReadyRead(15'000))
            return 0;
        data += socket.readAll();
        if (headerEnd < 0 && (headerEnd = data.indexOf("\r\n\r\n")) >= 0) {
            const QByteArray headers = data.left(headerEnd).toLower();
            const qsizetype at = headers.indexOf("content-length:");
            length = at < 0 ? 0 : headers.mid(at + 15).split('\r').first().trimmed().toLongLong();
        }
    }
    return data.mid(9, 3).toInt();
}

double totalRequests(const QJsonObject &stats)
{
    double total = 0;
    const QJsonObject rates = stats.value(QStringLiteral("requestsPerSecond")).toObject();
    for (auto it = rates.begin(); it != rates.end(); ++it)
        total += it.value().toDouble();
    return total;
}

double acceptedOf(const QJsonObject &stats, qint64 goodsId)
{
    for (const QJsonValue &sale : stats.value(QStringLiteral("sales")).toArray())
        if (sale.toObject().value(QStringLiteral("goodsId")).toInteger() == goodsId)
            return sale.toObject().value(QStringLiteral("acceptedPerSecond")).toDouble();
    return -1; // not listed
}

qint64 secondOf(const QJsonObject &stats)
{
    return QDateTime::fromString(stats.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs)
               .toMSecsSinceEpoch()
        / 1000;
}

} // namespace

class tst_E2eLiveFigures : public QObject
{
    Q_OBJECT

    ShopClient m_client;
    ServerProcess m_api1;
    ServerProcess m_api2;
    ServerProcess m_worker;
    QString m_databaseUrl;
    /// Every /admin/stats answer polled, by the second its rates count (the last one wins).
    QMap<qint64, QJsonObject> m_seconds;

    QJsonObject stats(const ServerProcess &server)
    {
        const ShopClient::Reply reply =
            m_client.adminCall(server, "GET", QStringLiteral("/admin/stats"));
        if (reply.status != 200)
            return {};
        m_seconds.insert(secondOf(reply.body), reply.body);
        return reply.body;
    }

    int scalar(const QString &sql)
    {
        const auto url = db::DatabaseUrl::parse(m_databaseUrl);
        int value = -1;
        {
            const auto opened = db::openDatabase(url.value(), QStringLiteral("figures-check"));
            if (!opened)
                return -1;
            QSqlQuery query(opened.value());
            if (query.exec(sql) && query.next())
                value = query.value(0).toInt();
        }
        db::closeDatabase(QStringLiteral("figures-check"));
        return value;
    }

    int ordersOf(qint64 goodsId)
    {
        return scalar(
            QStringLiteral("SELECT count(*) FROM miaosha_order WHERE goods_id = %1").arg(goodsId));
    }

    QUrl workerUrl(const QString &path) const { return m_worker.baseUrl().resolved(QUrl(path)); }

private Q_SLOTS:
    void initTestCase()
    {
        m_databaseUrl = TestServices::instance().createDatabase();
        const auto env = ShopClient::environment(m_databaseUrl);
        const auto api = ShopClient::serverArgs({QStringLiteral("--role"), QStringLiteral("api")});
        QVERIFY2(m_api1.start(api, env), qPrintable(m_api1.output()));
        QVERIFY(ShopClient::offsetGoodsIds(m_databaseUrl));
        QVERIFY2(m_api2.start(api, env), qPrintable(m_api2.output()));
        // One consumer holding one message at a time: what the worker has not taken stays
        // ready in the queue, where RabbitMQ counts it.
        QVERIFY2(m_worker.start(ShopClient::serverArgs(
                                    {QStringLiteral("--role"), QStringLiteral("worker"),
                                     QStringLiteral("--workers"), QStringLiteral("1"),
                                     QStringLiteral("--worker-prefetch"), QStringLiteral("1")}),
                                env),
                 qPrintable(m_worker.output()));
    }

    void cleanupTestCase()
    {
        ::kill(pid_t(m_worker.process().processId()), SIGCONT); // should a test stop midway
        QCOMPARE(m_worker.stop(), 0);
        QCOMPARE(m_api2.stop(), 0);
        QCOMPARE(m_api1.stop(), 0);
    }

    void workerServesHealthReadinessAndMetrics()
    {
        QTRY_VERIFY_WITH_TIMEOUT(m_client.call("GET", workerUrl(QStringLiteral("/healthz")))
                                     .body.value(QStringLiteral("dependencies"))
                                     .toObject()
                                     .contains(QStringLiteral("rabbitmq-consumers")),
                                 10'000);
        QTRY_COMPARE_WITH_TIMEOUT(m_client.call("GET", workerUrl(QStringLiteral("/readyz"))).status,
                                  200, 20'000);
        QTRY_COMPARE_WITH_TIMEOUT(
            m_client.call("GET", workerUrl(QStringLiteral("/healthz"))).status, 200, 20'000);

        const ShopClient::Reply metrics =
            m_client.call("GET", workerUrl(QStringLiteral("/metrics")));
        QCOMPARE(metrics.status, 200);
        QVERIFY2(metrics.raw.contains("# TYPE flashsale_order_lag_seconds histogram"),
                 metrics.raw.constData());
        QVERIFY(metrics.raw.contains("flashsale_order_lag_seconds_bucket{instance=\""));
        QVERIFY(metrics.raw.contains("le=\"+Inf\"}"));
        QVERIFY(metrics.raw.contains("flashsale_orders_created_total{instance=\""));
        // Not the shopper API: no buys there.
        QCOMPARE(m_client.call("POST", workerUrl(QStringLiteral("/api/sales/1/x/orders"))).status,
                 404);

        const ShopClient::Reply api =
            m_client.call("GET", m_api1.baseUrl().resolved(QUrl(QStringLiteral("/metrics"))));
        QCOMPARE(api.status, 200);
        QVERIFY(api.raw.contains("# TYPE flashsale_buy_duration_seconds histogram"));
        QVERIFY(api.raw.contains("flashsale_buy_requests_total{instance=\""));

        // Every process is counted, API instances and workers apart.
        QTRY_VERIFY_WITH_TIMEOUT(stats(m_api2).value(QStringLiteral("instances")).toInt() == 2
                                     && stats(m_api2).value(QStringLiteral("workers")).toInt() == 1,
                                 15'000);
    }

    void siteFiguresAddUpUnderLoad()
    {
        const qint64 bought = m_client.liveSale(m_api1, QStringLiteral("Bought"), 10'000);
        const qint64 idle = m_client.liveSale(m_api1, QStringLiteral("Not bought"), 100);
        QVERIFY(bought > 0 && idle > 0);
        // Both instances know both sales before the shoppers ask for the buy path.
        QTRY_VERIFY_WITH_TIMEOUT(acceptedOf(stats(m_api1), idle) == 0
                                     && acceptedOf(stats(m_api2), idle) == 0
                                     && acceptedOf(stats(m_api2), bought) == 0,
                                 10'000);
        QList<QByteArray> bearers;
        QList<QUrl> buyUrls;
        for (int i = 0; i < loadShoppers; ++i) {
            const ServerProcess &server = i % 2 ? m_api2 : m_api1;
            bearers.append(m_client.shopper(server, QStringLiteral("load-%1").arg(i)));
            QVERIFY(!bearers.last().isEmpty());
            buyUrls.append(m_client.buyUrl(server, bought, bearers.last()));
            QVERIFY(buyUrls.last().path().endsWith(QStringLiteral("/orders")));
        }

        // Each shopper buys again and again (after the first 202: duplicate or too_frequent),
        // paced, on its own connection; every answer is counted in the second it arrived.
        std::atomic<bool> stop = false;
        std::atomic<int> accepted = 0, failures = 0;
        QMap<qint64, int> answersPerSecond;
        QMutex lock;
        QList<QThread *> threads;
        for (int i = 0; i < loadShoppers; ++i) {
            threads.append(QThread::create([&, i] {
                QTcpSocket socket;
                QMap<qint64, int> mine;
                while (!stop) {
                    const int status = blockingPost(socket, buyUrls[i], bearers[i]);
                    ++mine[QDateTime::currentMSecsSinceEpoch() / 1000];
                    if (status == 202)
                        ++accepted;
                    else if (status == 0 || status >= 500)
                        ++failures;
                    QThread::msleep(20); // pacing: a steady load, not a flood
                }
                QMutexLocker locked(&lock);
                for (auto it = mine.begin(); it != mine.end(); ++it)
                    answersPerSecond[it.key()] += it.value();
            }));
            threads.last()->start();
        }
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < loadSeconds * 1000) {
            stats(clock.elapsed() % 2 ? m_api1 : m_api2);
            QTest::qWait(200);
        }
        stop = true;
        for (QThread *thread : threads) {
            QVERIFY(thread->wait(60'000));
            delete thread;
        }
        QCOMPARE(failures.load(), 0);
        QCOMPARE(accepted.load(), loadShoppers); // one order per shopper

        // Until every order is in the database, and a few seconds more so that the stats
        // have reported the seconds it was made in.
        QDeadlineTimer drained(60'000);
        while (ordersOf(bought) < loadShoppers && !drained.hasExpired()) {
            stats(m_api1);
            QTest::qWait(200);
        }
        QCOMPARE(ordersOf(bought), loadShoppers);
        const qint64 doneSecond = QDateTime::currentMSecsSinceEpoch() / 1000;
        QDeadlineTimer reported(20'000);
        while ((m_seconds.isEmpty() || m_seconds.lastKey() <= doneSecond + 1)
               && !reported.hasExpired()) {
            stats(m_api1);
            QTest::qWait(200);
        }

        // Requests: the whole seconds of the load, the site's count against the clients'.
        double site = 0, clients = 0;
        int compared = 0;
        const qint64 first = answersPerSecond.firstKey() + 1, last = answersPerSecond.lastKey() - 1;
        for (qint64 s = first; s <= last; ++s) {
            if (!m_seconds.contains(s + 1)) // a second's stats are stamped with its end
                continue;
            site += totalRequests(m_seconds.value(s + 1));
            clients += answersPerSecond.value(s);
            ++compared;
        }
        qInfo() << "seconds compared" << compared << "site counted" << site << "clients sent"
                << clients;
        QVERIFY2(compared >= 3, qPrintable(QString::number(compared)));
        QVERIFY(clients > 0);
        QVERIFY2(qAbs(site - clients) <= 0.2 * clients,
                 qPrintable(QStringLiteral("site %1, clients %2").arg(site).arg(clients)));

        // Orders: the per-second rates over the run add up to the orders made.
        double orders = 0;
        bool sawLatency = false, sawLag = false, sawAccepted = false;
        for (const QJsonObject &s : std::as_const(m_seconds)) {
            orders += s.value(QStringLiteral("ordersPerSecond")).toDouble();
            QVERIFY(acceptedOf(s, idle) <= 0); // -1: a second before it was listed
            sawAccepted = sawAccepted || acceptedOf(s, bought) > 0;
            const QJsonObject latency = s.value(QStringLiteral("buyLatencyMs")).toObject();
            if (latency.value(QStringLiteral("count")).toInt() > 0) {
                sawLatency = true;
                QVERIFY(latency.value(QStringLiteral("p99")).toDouble()
                        >= latency.value(QStringLiteral("p50")).toDouble());
                QVERIFY(latency.value(QStringLiteral("p50")).toDouble() > 0);
            }
            sawLag = sawLag
                || s.value(QStringLiteral("orderLagMs"))
                        .toObject()
                        .value(QStringLiteral("count"))
                        .toInt()
                    > 0;
        }
        qInfo() << "orders per second summed" << orders << "orders made" << loadShoppers;
        QVERIFY2(qAbs(orders - loadShoppers) <= 0.1 * loadShoppers,
                 qPrintable(QString::number(orders)));
        QVERIFY(sawAccepted);
        QVERIFY(sawLatency);
        QVERIFY(sawLag);
    }

    void queueDepthRisesWhileTheWorkerIsStopped()
    {
        constexpr int buyers = 30;
        const qint64 goods = m_client.liveSale(m_api1, QStringLiteral("Queued"), 100);
        QVERIFY(goods > 0);
        // The instance the shoppers buy from knows the sale.
        QTRY_COMPARE_WITH_TIMEOUT(acceptedOf(stats(m_api2), goods), 0.0, 10'000);
        QList<QByteArray> bearers;
        QList<QUrl> buyUrls;
        for (int i = 0; i < buyers; ++i) {
            bearers.append(m_client.shopper(m_api2, QStringLiteral("queued-%1").arg(i)));
            buyUrls.append(m_client.buyUrl(m_api2, goods, bearers.last()));
        }
        QTRY_COMPARE_WITH_TIMEOUT(stats(m_api1).value(QStringLiteral("queueDepth")).toInt(), 0,
                                  15'000);

        const pid_t worker = pid_t(m_worker.process().processId());
        QCOMPARE(::kill(worker, SIGSTOP), 0);
        // One by one (the publisher still batches those that wait for a confirm together:
        // fewer messages than reservations, each counted by RabbitMQ as one).
        for (int i = 0; i < buyers; ++i)
            QCOMPARE(m_client.call("POST", buyUrls[i], {}, bearers[i]).status, 202);
        int deepest = 0;
        QJsonObject seen;
        QTRY_VERIFY2_WITH_TIMEOUT(
            (deepest =
                 qMax(deepest, (seen = stats(m_api1)).value(QStringLiteral("queueDepth")).toInt()))
                > 0,
            QJsonDocument(seen).toJson(QJsonDocument::Compact).constData(), 15'000);
        qInfo() << "queue depth while the worker was stopped:" << deepest;
        // The stopped worker publishes nothing: it drops out of the count.
        QTRY_COMPARE_WITH_TIMEOUT(stats(m_api1).value(QStringLiteral("workers")).toInt(), 0,
                                  15'000);
        QCOMPARE(ordersOf(goods), 0);

        QCOMPARE(::kill(worker, SIGCONT), 0);
        QTRY_COMPARE_WITH_TIMEOUT(stats(m_api1).value(QStringLiteral("queueDepth")).toInt(), 0,
                                  30'000);
        QTRY_COMPARE_WITH_TIMEOUT(ordersOf(goods), buyers, 30'000);
        // Those orders waited for the worker: the site's order lag says so.
        QTRY_VERIFY_WITH_TIMEOUT(stats(m_api1)
                                         .value(QStringLiteral("orderLagMs"))
                                         .toObject()
                                         .value(QStringLiteral("p99"))
                                         .toDouble()
                                     >= 1000,
                                 15'000);
        QTRY_COMPARE_WITH_TIMEOUT(stats(m_api1).value(QStringLiteral("workers")).toInt(), 1,
                                  15'000);
    }
};

QTEST_GUILESS_MAIN(tst_E2eLiveFigures)
#include "tst_e2e_livefigures.moc"
