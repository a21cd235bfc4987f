// End to end: SIGTERM while buys are in flight. The server stops accepting, answers every
// request it has read (a shopper whose unit was reserved gets the 202), and exits 0; Redis
// then holds exactly one reservation per 202 answered, no more, no fewer.

#include "pathsigner.h"
#include "rawhttpclient.h"
#include "sessiontokens.h"
#include "shopclient.h"

#include <QTest>

using namespace flashsale;
using flashsale::test::ServerProcess;
using flashsale::test::ShopClient;
using flashsale::test::TestServices;

using RawConnection = flashsale::test::RawHttpClient;

class tst_E2eFrontDrain : public QObject
{
    Q_OBJECT

    ShopClient m_client;

private Q_SLOTS:
    void sigtermAnswersEveryReadRequestAndExitsCleanly()
    {
        const QString databaseUrl = TestServices::instance().createDatabase();
        ServerProcess server;
        QVERIFY2(
            server.start(ShopClient::serverArgs({QStringLiteral("--role"), QStringLiteral("api")}),
                         ShopClient::environment(databaseUrl)),
            qPrintable(server.output()));
        QVERIFY(ShopClient::offsetGoodsIds(databaseUrl));
        constexpr int stock = 100'000;
        const qint64 goods = m_client.liveSale(server, QStringLiteral("Shutdown"), stock);
        QVERIFY(goods > 0);
        QByteArray secret;
        {
            const auto opened = db::openDatabase(db::DatabaseUrl::parse(databaseUrl).value(),
                                                 QStringLiteral("secret"));
            QVERIFY(opened.ok());
            QSqlQuery q(opened.value());
            QVERIFY(q.exec(QStringLiteral("SELECT path_secret FROM miaosha_goods WHERE goods_id = ")
                           + QString::number(goods))
                    && q.next());
            secret = q.value(0).toByteArray();
        }
        db::closeDatabase(QStringLiteral("secret"));
        // Shoppers minted with the server's secrets: one buy each, no duplicates.
        const users::SessionTokens tokens(ShopClient::sessionSecret, 3600);
        const sale::PathSigner signer(secret);
        const qint64 now = ShopClient::now();
        const auto buy = [&](qint64 user) -> QByteArray {
            return "POST /api/sales/" + QByteArray::number(goods) + '/'
                + signer.path(user, goods).toLatin1() + "/orders HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: Bearer " + tokens.issue(user, now).toLatin1()
                + "\r\nContent-Length: 0\r\n\r\n";
        };
        // The sale is live on this instance once a first buy gets through (a new shopper
        // each try: a retry within the window would be too frequent).
        qint64 tries = 0;
        int early = 0; // 202s before the burst (QTRY may call more than once after success)
        const auto firstBuy = [&] {
            ++tries;
            const QUrl url =
                server.baseUrl().resolved(QUrl(QStringLiteral("/api/sales/%1/%2/orders")
                                                   .arg(goods)
                                                   .arg(signer.path(tries, goods))));
            const int status =
                m_client.call("POST", url, {}, "Bearer " + tokens.issue(tries, now).toLatin1())
                    .status;
            early += status == 202 ? 1 : 0;
            return status;
        };
        QTRY_COMPARE_WITH_TIMEOUT(firstBuy(), 202, 5000);
        constexpr int connections = 8;
        constexpr int perConnection = 40;
        std::vector<std::unique_ptr<RawConnection>> open;
        qint64 user = 1'000;
        for (int c = 0; c < connections; ++c) {
            open.push_back(std::make_unique<RawConnection>(server.baseUrl().port(), 20'000));
            QVERIFY(open.back()->connected());
            QByteArray burst;
            for (int i = 0; i < perConnection; ++i)
                burst += buy(user++);
            QVERIFY(open.back()->send(burst));
        }
        // Each connection's first answer is in: the others are being worked on now.
        int accepted = 0;
        int answered = 0;
        bool cut = false;
        QMap<int, int> statuses;
        for (auto &c : open) {
            const int status = c->read().status;
            QVERIFY2(status == 202, qPrintable(QString::number(status)));
            ++statuses[status];
            ++accepted;
            ++answered;
        }
        server.process().terminate();
        for (auto &c : open) {
            for (;;) {
                const int status = c->read().status;
                if (status == 0) {
                    cut = cut || c->hasPartialAnswer();
                    break;
                }
                ++statuses[status];
                ++answered;
                if (status == 202)
                    ++accepted;
            }
        }
        qInfo() << "answers by status:" << statuses << "of" << connections * perConnection
                << "sent";
        QVERIFY2(!cut, "an answer was cut off");
        QCOMPARE(server.waitForExit(), 0);
        // Only 202s and refusals of a draining server; nothing else.
        for (auto it = statuses.cbegin(); it != statuses.cend(); ++it)
            QVERIFY2(it.key() == 202 || it.key() == 503, qPrintable(QString::number(it.key())));

        // What Redis reserved is what was answered 202: read by a fresh instance.
        ServerProcess after;
        QVERIFY2(
            after.start(ShopClient::serverArgs({QStringLiteral("--role"), QStringLiteral("api")}),
                        ShopClient::environment(databaseUrl)),
            qPrintable(after.output()));
        const QJsonObject sale = m_client.saleStatus(after, goods);
        QCOMPARE(sale.value(QStringLiteral("stockLeft")).toInt(), stock - early - accepted);
        QCOMPARE(after.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_E2eFrontDrain)
#include "tst_e2e_frontdrain.moc"
