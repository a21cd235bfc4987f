// End to end, the whole sale on the real stack: 200 shoppers, 5 attempts each, all at once,
// against two server processes (one also running the order workers) on a stock of 50.
// Exactly 50 orders, one per shopper at most, every 202 resolved, nothing left in Redis.

#include "shopclient.h"

#include <QMutex>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

#include <atomic>
#include <vector>

using namespace flashsale;
using flashsale::test::ServerProcess;
using flashsale::test::ShopClient;
using flashsale::test::TestServices;

namespace {

constexpr int shoppers = 200;
constexpr int attempts = 5;
constexpr int stock = 50;

/// One HTTP/1.1 request on a kept-alive blocking socket; the status, 0 on failure.
int blockingPost(QTcpSocket &socket, const QUrl &url, const QByteArray &bearer, QByteArray *body)
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
    *body = data.mid(headerEnd + 4, length);
    return data.mid(9, 3).toInt(); // "HTTP/1.1 202 ..."
}

} // namespace

class tst_E2eSale : public QObject
{
    Q_OBJECT

    ShopClient m_client;
    ServerProcess m_apiAndWorker;
    ServerProcess m_api;
    QString m_databaseUrl;

    int scalar(const QString &sql)
    {
        const auto url = db::DatabaseUrl::parse(m_databaseUrl);
        int value = -1;
        {
            const auto opened = db::openDatabase(url.value(), QStringLiteral("e2e-check"));
            if (!opened)
                return -1;
            QSqlQuery query(opened.value());
            if (query.exec(sql) && query.next())
                value = query.value(0).toInt();
        }
        db::closeDatabase(QStringLiteral("e2e-check"));
        return value;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_databaseUrl = TestServices::instance().createDatabase();
        const auto env = ShopClient::environment(m_databaseUrl);
        QVERIFY2(
            m_apiAndWorker.start(
                ShopClient::serverArgs({QStringLiteral("--role"), QStringLiteral("all")}), env),
            qPrintable(m_apiAndWorker.output()));
        QVERIFY(ShopClient::offsetGoodsIds(m_databaseUrl));
        QVERIFY2(
            m_api.start(ShopClient::serverArgs({QStringLiteral("--role"), QStringLiteral("api")}),
                        env),
            qPrintable(m_api.output()));
    }

    void cleanupTestCase()
    {
        QCOMPARE(m_api.stop(), 0);
        QCOMPARE(m_apiAndWorker.stop(), 0);
    }

    void twoHundredShoppersFiveAttemptsStockFifty()
    {
        const qint64 goods = m_client.liveSale(m_apiAndWorker, QStringLiteral("Phone"), stock);
        QVERIFY(goods > 0);

        // Shoppers signed in, each with the buy URL of one instance or the other.
        QList<QByteArray> bearers;
        QList<QUrl> buyUrls;
        for (int i = 0; i < shoppers; ++i) {
            const ServerProcess &server = i % 2 ? m_api : m_apiAndWorker;
            bearers.append(m_client.shopper(server, QStringLiteral("shopper-%1").arg(i)));
            QVERIFY(!bearers.last().isEmpty());
            buyUrls.append(m_client.buyUrl(server, goods, bearers.last()));
            QVERIFY(buyUrls.last().path().endsWith(QStringLiteral("/orders")));
        }

        // All at once: a thread per shopper, its attempts back to back on one connection.
        std::atomic<int> accepted = 0, failures = 0;
        std::vector<std::atomic<int>> acceptedBy(shoppers);
        QMap<int, int> statuses;
        QMutex statusesLock;
        QList<QThread *> threads;
        for (int i = 0; i < shoppers; ++i) {
            threads.append(QThread::create([&, i] {
                QTcpSocket socket;
                for (int a = 0; a < attempts; ++a) {
                    QByteArray body;
                    const int status = blockingPost(socket, buyUrls[i], bearers[i], &body);
                    {
                        QMutexLocker lock(&statusesLock);
                        ++statuses[status];
                    }
                    if (status == 202) {
                        ++accepted;
                        ++acceptedBy[i];
                    } else if (status == 0 || status >= 500) {
                        ++failures;
                    }
                }
            }));
        }
        for (QThread *thread : threads)
            thread->start();
        for (QThread *thread : threads) {
            QVERIFY(thread->wait(120'000));
            delete thread;
        }
        qInfo() << "answers by status:" << statuses;
        QCOMPARE(failures.load(), 0);
        QCOMPARE(accepted.load(), stock);
        for (int i = 0; i < shoppers; ++i)
            QVERIFY(acceptedBy[i] <= 1);

        // Every 202 ends as an order: each such shopper sees "created" with an order id.
        for (int i = 0; i < shoppers; ++i) {
            if (acceptedBy[i] == 0)
                continue;
            const QUrl me =
                buyUrls[i].resolved(QUrl(QStringLiteral("/api/sales/%1/orders/me").arg(goods)));
            QTRY_COMPARE_WITH_TIMEOUT(m_client.call("GET", me, {}, bearers[i])
                                          .body.value(QStringLiteral("status"))
                                          .toString(),
                                      QStringLiteral("created"), 60'000);
        }

        const QString g = QString::number(goods);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM miaosha_order WHERE goods_id = ") + g),
                 stock);
        QCOMPARE(scalar(QStringLiteral(
                            "SELECT count(DISTINCT user_id) FROM miaosha_order WHERE goods_id = ")
                        + g),
                 stock);
        QCOMPARE(scalar(QStringLiteral("SELECT stock FROM miaosha_goods WHERE goods_id = ") + g),
                 0);
        QCOMPARE(scalar(QStringLiteral("SELECT version FROM miaosha_goods WHERE goods_id = ") + g)
                     > 0,
                 true);

        // Redis agrees: nothing left, nothing pending.
        const ShopClient::Reply sale =
            m_client.adminCall(m_apiAndWorker, "GET", QStringLiteral("/admin/sales/") + g);
        QCOMPARE(sale.status, 200);
        QCOMPARE(sale.body.value(QStringLiteral("stockLeft")).toInt(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(
            m_client.adminCall(m_apiAndWorker, "GET", QStringLiteral("/admin/sales/") + g)
                .body.value(QStringLiteral("pending"))
                .toInt(),
            0, 10'000);
    }
};

QTEST_GUILESS_MAIN(tst_E2eSale)
#include "tst_e2e_sale.moc"
