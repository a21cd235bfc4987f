// End to end: a server (role all) stopped with SIGTERM while shoppers are buying exits with
// 0, and once it is started again every shopper who had a 202 gets an order; the shoppers
// stopped half-way had either no answer or no order, never an accepted buy lost.

#include "shopclient.h"

#include <QMutex>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

#include <atomic>
#include <csignal>
#include <vector>

using namespace flashsale;
using flashsale::test::ServerProcess;
using flashsale::test::ShopClient;
using flashsale::test::TestServices;

namespace {

constexpr int shoppers = 240;
constexpr int buyingThreads = 24; ///< each buys for its share of the shoppers, one after another
constexpr int acceptedBeforeStop = 20; ///< SIGTERM once this many buys had their 202
constexpr int stock = 1000; ///< more than enough: every answered buy could be a 202

/// One POST on a new connection; the status, 0 when no answer came (refused, closed).
int post(const QUrl &url, const QByteArray &bearer)
{
    QTcpSocket socket;
    socket.connectToHost(url.host(), quint16(url.port()));
    if (!socket.waitForConnected(5'000))
        return 0;
    socket.write("POST " + url.path().toLatin1() + " HTTP/1.1\r\nHost: " + url.host().toLatin1()
                 + "\r\nAuthorization: " + bearer
                 + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    QByteArray data;
    while (data.size() < 12) {
        if (!socket.waitForReadyRead(15'000))
            return 0;
        data += socket.readAll();
    }
    return data.startsWith("HTTP/1.1 ") ? data.mid(9, 3).toInt() : 0;
}

} // namespace

class tst_E2eShutdown : public QObject
{
    Q_OBJECT

    ShopClient m_client;
    ServerProcess m_server;
    QStringList m_args;
    QProcessEnvironment m_env;

private Q_SLOTS:
    void initTestCase()
    {
        const QString databaseUrl = TestServices::instance().createDatabase();
        m_env = ShopClient::environment(databaseUrl);
        // The restarted instance's reconciler publishes what is still pending after 1 s.
        m_args = ShopClient::serverArgs(
            {QStringLiteral("--role"), QStringLiteral("all"),
             QStringLiteral("--reconcile-after-ms"), QStringLiteral("1000"),
             QStringLiteral("--reconcile-interval-ms"), QStringLiteral("500")});
        QVERIFY2(m_server.start(m_args, m_env), qPrintable(m_server.output()));
        QVERIFY(ShopClient::offsetGoodsIds(databaseUrl));
    }

    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }

    void everyAcceptedBuyBecomesAnOrderAcrossARestart()
    {
        const qint64 goods = m_client.liveSale(m_server, QStringLiteral("Drone"), stock);
        QVERIFY(goods > 0);
        QList<QByteArray> bearers;
        QList<QUrl> buyUrls;
        for (int i = 0; i < shoppers; ++i) {
            bearers.append(m_client.shopper(m_server, QStringLiteral("stopping-%1").arg(i)));
            QVERIFY(!bearers.last().isEmpty());
            buyUrls.append(m_client.buyUrl(m_server, goods, bearers.last()));
            QVERIFY(buyUrls.last().path().endsWith(QStringLiteral("/orders")));
        }

        // Buying threads, each going through its shoppers back to back, so that buys are
        // being sent, served and answered when the SIGTERM comes.
        std::vector<std::atomic<int>> status(shoppers);
        std::atomic<int> accepted = 0, answered = 0;
        // The SIGTERM goes out from the buying thread that got the acceptedBeforeStop-th 202,
        // at once: a poll from this thread could come after every buy was answered.
        std::atomic<int> answeredAtStop = -1;
        const pid_t pid = pid_t(m_server.process().processId());
        QList<QThread *> threads;
        for (int t = 0; t < buyingThreads; ++t) {
            threads.append(QThread::create([&, t] {
                for (int i = t; i < shoppers; i += buyingThreads) {
                    status[i] = post(buyUrls[i], bearers[i]);
                    if (status[i] != 0)
                        ++answered;
                    if (status[i] == 202 && ++accepted == acceptedBeforeStop) {
                        answeredAtStop = answered.load();
                        ::kill(pid, SIGTERM);
                    }
                }
            }));
        }
        for (QThread *thread : threads)
            thread->start();
        QTRY_VERIFY_WITH_TIMEOUT(answeredAtStop >= 0, 60'000);
        QCOMPARE(m_server.waitForExit(60'000), 0);
        for (QThread *thread : threads) {
            QVERIFY(thread->wait(60'000));
            delete thread;
        }
        QVERIFY2(answeredAtStop < shoppers, "every buy was answered before the stop");
        QMap<int, int> byStatus;
        for (const auto &s : status)
            ++byStatus[s];
        qInfo() << "answers by status (0: none):" << byStatus
                << "answered before the SIGTERM:" << answeredAtStop;

        // Started again: each 202 ends as an order, published before the exit or taken from
        // the pending set by the reconciler.
        QVERIFY2(m_server.start(m_args, m_env), qPrintable(m_server.output()));
        for (int i = 0; i < shoppers; ++i) {
            if (status[i] != 202)
                continue;
            const QUrl me = m_server.baseUrl().resolved(
                QUrl(QStringLiteral("/api/sales/%1/orders/me").arg(goods)));
            QTRY_COMPARE_WITH_TIMEOUT(m_client.call("GET", me, {}, bearers[i])
                                          .body.value(QStringLiteral("status"))
                                          .toString(),
                                      QStringLiteral("created"), 60'000);
        }
        // Nothing accepted is left behind in Redis either.
        QTRY_COMPARE_WITH_TIMEOUT(
            m_client.saleStatus(m_server, goods).value(QStringLiteral("pending")).toInt(), 0,
            30'000);
    }
};

QTEST_GUILESS_MAIN(tst_E2eShutdown)
#include "tst_e2e_shutdown.moc"
