// End to end, a real server process on the real stack: the product's token bucket lets a
// buy wait for a token up to --buy-wait (Guava's tryAcquire with a timeout) and refuses at
// once, 429 rate_limited with Retry-After, when the next token is further away than that.

#include "shopclient.h"

#include <QElapsedTimer>
#include <QTest>

using namespace flashsale;
using flashsale::test::ServerProcess;
using flashsale::test::ShopClient;
using flashsale::test::TestServices;

class tst_E2eBuyWait : public QObject
{
    Q_OBJECT

    static constexpr int buyWaitMs = 1000; ///< --buy-wait of the server under test

    ShopClient m_client;
    ServerProcess m_server;

    struct Timed
    {
        ShopClient::Reply reply;
        qint64 ms = 0;
    };

    // A live sale of \a name at \a ratePerSecond (burst 1), and three shoppers' buy URLs.
    qint64 saleWithRate(const QString &name, double ratePerSecond, QList<QByteArray> &shoppers,
                        QList<QUrl> &buys)
    {
        const qint64 id = m_client.liveSale(m_server, name, 100);
        if (id <= 0)
            return 0;
        const ShopClient::Reply rate = m_client.adminCall(
            m_server, "PUT", QStringLiteral("/admin/sales/%1/rate").arg(id),
            QJsonDocument(QJsonObject {{QStringLiteral("ratePerSecond"), ratePerSecond},
                                       {QStringLiteral("burst"), 1}})
                .toJson());
        if (rate.status != 200)
            return 0;
        for (int i = 0; i < 3; ++i) {
            shoppers.append(m_client.shopper(m_server, QStringLiteral("%1-%2").arg(name).arg(i)));
            buys.append(m_client.buyUrl(m_server, id, shoppers.last()));
        }
        return id;
    }

    QList<Timed> buyAll(const QList<QByteArray> &shoppers, const QList<QUrl> &buys)
    {
        QList<Timed> answers;
        for (qsizetype i = 0; i < shoppers.size(); ++i) {
            QElapsedTimer timer;
            timer.start();
            Timed t;
            t.reply = m_client.call("POST", buys.at(i), {}, shoppers.at(i));
            t.ms = timer.elapsed();
            answers.append(t);
        }
        return answers;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString databaseUrl = TestServices::instance().createDatabase();
        QVERIFY2(m_server.start(ShopClient::serverArgs(
                                    {QStringLiteral("--buy-wait"), QString::number(buyWaitMs)}),
                                ShopClient::environment(databaseUrl)),
                 qPrintable(m_server.output()));
        QVERIFY(ShopClient::offsetGoodsIds(databaseUrl));
    }

    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }

    void waitsForATokenWithinBuyWait()
    {
        // Four tokens a second: three buys in a row get one each, the last after waiting
        // for it (a quarter of a second, within buy-wait) instead of a 429.
        QList<QByteArray> shoppers;
        QList<QUrl> buys;
        QVERIFY(saleWithRate(QStringLiteral("Fan"), 4, shoppers, buys) > 0);
        QTest::qWait(300); // a full bucket (one token), whatever the reload's timing
        const QList<Timed> answers = buyAll(shoppers, buys);
        qint64 total = 0;
        for (const Timed &t : answers) {
            QVERIFY2(t.reply.status == 202, t.reply.raw.constData());
            total += t.ms;
        }
        QVERIFY2(total >= 150,
                 qPrintable(QStringLiteral("three buys at 4/s took only %1 ms").arg(total)));
        QVERIFY2(answers.last().ms < buyWaitMs + 500,
                 qPrintable(QStringLiteral("the last buy took %1 ms").arg(answers.last().ms)));
    }

    void refusesAtOnceWhenTheTokenIsFurtherThanBuyWait()
    {
        // One token every two seconds: of three buys in a row, the one that would have to wait
        // longer than buy-wait is refused at once, with a Retry-After, and takes nothing from
        // the stock.
        QList<QByteArray> shoppers;
        QList<QUrl> buys;
        const qint64 id = saleWithRate(QStringLiteral("Heater"), 0.5, shoppers, buys);
        QVERIFY(id > 0);
        const QList<Timed> answers = buyAll(shoppers, buys);
        int accepted = 0;
        int limited = 0;
        for (const Timed &t : answers) {
            if (t.reply.status == 202) {
                // Tokens saved up since the rate was set may bring the next one within reach.
                QVERIFY2(t.ms < buyWaitMs + 500,
                         qPrintable(QStringLiteral("a 202 took %1 ms").arg(t.ms)));
                ++accepted;
            } else {
                QVERIFY2(t.ms < 500, qPrintable(QStringLiteral("a refusal took %1 ms").arg(t.ms)));
                QCOMPARE(t.reply.status, 429);
                QCOMPARE(t.reply.error(), QStringLiteral("rate_limited"));
                QVERIFY(t.reply.retryAfter.toInt() >= 1);
                ++limited;
            }
        }
        QVERIFY2(limited >= 1, "three buys in a row at one token per two seconds all passed");
        QVERIFY(accepted >= 1);
        QCOMPARE(m_client.saleStatus(m_server, id).value(QStringLiteral("stockLeft")).toInteger(),
                 100 - accepted);
    }
};

QTEST_GUILESS_MAIN(tst_E2eBuyWait)
#include "tst_e2e_buywait.moc"
