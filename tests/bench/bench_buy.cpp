// Benchmark: the buy path against nginx `return 200` on the same machine, in the same run.
// Prints requests/s and p50/p99 latency from wrk for each, and the ratios. Run it with
// `ctest -L bench --verbose` (a release build gives the figures worth quoting).
//
//   (b) buy on a sold-out product: every check up to the local sold-out mark, no Redis call
//   (c) nginx `return 200` (the stack's /bench/ok): the baseline
//   (a) buy with a large stock: every request a different shopper (tokens and paths made
//       here with the server's session secret and the sale's secret), so each one is a full
//       reservation (Redis script) and an order message handed to the publisher before its
//       202 (the broker's confirm comes later; the reservation is pending in Redis meanwhile)
//
// The server runs the API role only: the order workers are bench_orderdrain's.

#include "database.h"
#include "pathsigner.h"
#include "serverprocess.h"
#include "sessiontokens.h"
#include "testservices.h"

#include <QDateTime>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTemporaryFile>
#include <QTest>
#include <QTimer>

using flashsale::test::ServerProcess;
using flashsale::test::TestServices;

namespace {

struct WrkFigures
{
    double requestsPerSecond = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    qint64 non2xx = 0;
    QString raw;
};

double toMs(const QString &value, const QString &unit)
{
    const double v = value.toDouble();
    if (unit == u"us")
        return v / 1000;
    if (unit == u"s")
        return v * 1000;
    return v;
}

WrkFigures runWrk(const QUrl &url, const QString &script, int connections, int seconds)
{
    QStringList args {QStringLiteral("-t2"), QStringLiteral("-c%1").arg(connections),
                      QStringLiteral("-d%1s").arg(seconds), QStringLiteral("--latency")};
    if (!script.isEmpty())
        args << QStringLiteral("-s") << script;
    args << url.toString();
    QProcess wrk;
    wrk.setProcessChannelMode(QProcess::MergedChannels);
    wrk.start(QStringLiteral("wrk"), args);
    // Waiting in an event loop, not in waitForFinished(): the server's log is read meanwhile,
    // so its pipe never fills up and blocks the server's logging thread mid-run.
    QEventLoop loop;
    QObject::connect(&wrk, &QProcess::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot((seconds + 30) * 1000, &loop, &QEventLoop::quit);
    if (wrk.state() != QProcess::NotRunning)
        loop.exec();
    WrkFigures f;
    f.raw = QString::fromUtf8(wrk.readAll());
    static const QRegularExpression rps(QStringLiteral("Requests/sec:\\s+([0-9.]+)"));
    static const QRegularExpression p50(QStringLiteral("\\s50%\\s+([0-9.]+)(us|ms|s)"));
    static const QRegularExpression p99(QStringLiteral("\\s99%\\s+([0-9.]+)(us|ms|s)"));
    static const QRegularExpression non2xx(QStringLiteral("Non-2xx or 3xx responses:\\s+(\\d+)"));
    f.requestsPerSecond = rps.match(f.raw).captured(1).toDouble();
    const auto m50 = p50.match(f.raw);
    const auto m99 = p99.match(f.raw);
    f.p50Ms = toMs(m50.captured(1), m50.captured(2));
    f.p99Ms = toMs(m99.captured(1), m99.captured(2));
    f.non2xx = non2xx.match(f.raw).captured(1).toLongLong();
    return f;
}

} // namespace

class bench_Buy : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_network;

    QJsonObject call(const QByteArray &verb, const QUrl &url, const QByteArray &body,
                     const QByteArray &authorization, int *status = nullptr)
    {
        QNetworkRequest request(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        if (!authorization.isEmpty())
            request.setRawHeader("Authorization", authorization);
        QNetworkReply *reply = m_network.sendCustomRequest(request, verb, body);
        QEventLoop loop;
        connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        if (status)
            *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonObject json = QJsonDocument::fromJson(reply->readAll()).object();
        reply->deleteLater();
        return json;
    }

private Q_SLOTS:
    void soldOutAgainstNginx()
    {
        const QByteArray adminToken = "bench-admin";
        const QByteArray sessionSecret = "bench-session-secret";
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        const QString databaseUrl = TestServices::instance().createDatabase();
        env.insert(QStringLiteral("FLASHSALE_DATABASE_URL"), databaseUrl);
        env.insert(QStringLiteral("FLASHSALE_REDIS_URL"), TestServices::instance().redisUrl());
        env.insert(QStringLiteral("FLASHSALE_AMQP_URL"), TestServices::instance().amqpUrl());
        ServerProcess server;
        QVERIFY2(
            server.start({QStringLiteral("--role"), QStringLiteral("api"),
                          QStringLiteral("--admin-token"), QString::fromLatin1(adminToken),
                          QStringLiteral("--password-iterations"), QStringLiteral("1000"),
                          QStringLiteral("--max-in-flight"), QStringLiteral("100000"),
                          QStringLiteral("--session-secret"), QString::fromLatin1(sessionSecret)},
                         env),
            qPrintable(server.output()));
        const QByteArray admin = "Bearer " + adminToken;
        {
            // Redis is shared and kept between runs: ids from a random offset are fresh keys.
            const auto opened = flashsale::db::openDatabase(
                flashsale::db::DatabaseUrl::parse(databaseUrl).value(), QStringLiteral("offset"));
            QVERIFY2(opened.ok(), qPrintable(opened.error()));
            QSqlQuery q(opened.value());
            QVERIFY(q.exec(
                QStringLiteral("ALTER SEQUENCE goods_id_seq RESTART WITH %1")
                    .arg(2'000'000'000LL + QRandomGenerator::global()->bounded(1'000'000'000))));
        }
        flashsale::db::closeDatabase(QStringLiteral("offset"));
        const QJsonObject goods =
            call("POST", server.adminUrl().resolved(QUrl(QStringLiteral("/admin/goods"))),
                 "{\"name\":\"Bench\",\"priceCents\":100,\"flashPriceCents\":1}", admin);
        const qint64 id = goods.value(QStringLiteral("goodsId")).toInteger();
        QVERIFY(id > 0);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const auto iso = [](qint64 ms) {
            return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
        };
        const QJsonObject schedule {{QStringLiteral("stock"), 0},
                                    {QStringLiteral("revealAt"), iso(now - 2000)},
                                    {QStringLiteral("startAt"), iso(now - 1000)},
                                    {QStringLiteral("endAt"), iso(now + 3'600'000)},
                                    {QStringLiteral("ratePerSecond"), 10'000'000},
                                    {QStringLiteral("burst"), 10'000'000}};
        int status = 0;
        call("PUT", server.adminUrl().resolved(QUrl(QStringLiteral("/admin/sales/%1").arg(id))),
             QJsonDocument(schedule).toJson(), admin, &status);
        QCOMPARE(status, 200);
        call("POST", server.baseUrl().resolved(QUrl(QStringLiteral("/api/users"))),
             "{\"username\":\"bencher\",\"password\":\"secret-pw\"}", {});
        const QString token =
            call("POST", server.baseUrl().resolved(QUrl(QStringLiteral("/api/sessions"))),
                 "{\"username\":\"bencher\",\"password\":\"secret-pw\"}", {})
                .value(QStringLiteral("token"))
                .toString();
        const QByteArray bearer = "Bearer " + token.toLatin1();
        const QString path =
            call("GET",
                 server.baseUrl().resolved(QUrl(QStringLiteral("/api/sales/%1/path").arg(id))), {},
                 bearer)
                .value(QStringLiteral("path"))
                .toString();
        QCOMPARE(path.size(), 32);
        const QUrl buy = server.baseUrl().resolved(
            QUrl(QStringLiteral("/api/sales/%1/%2/orders").arg(id).arg(path)));
        QTRY_COMPARE_WITH_TIMEOUT(
            call("POST", buy, {}, bearer, &status).value(QStringLiteral("error")).toString(),
            QStringLiteral("sold_out"), 5000);

        QTemporaryFile script;
        QVERIFY(script.open());
        script.write("wrk.method = \"POST\"\nwrk.headers[\"Authorization\"] = \"" + bearer
                     + "\"\n");
        script.flush();

        // (a): a product with a stock no run can sell out, and one request per shopper.
        const qint64 bigId =
            call("POST", server.adminUrl().resolved(QUrl(QStringLiteral("/admin/goods"))),
                 "{\"name\":\"Big\",\"priceCents\":100,\"flashPriceCents\":1}", admin)
                .value(QStringLiteral("goodsId"))
                .toInteger();
        QJsonObject bigSchedule = schedule;
        bigSchedule.insert(QStringLiteral("stock"), 100'000'000);
        call("PUT", server.adminUrl().resolved(QUrl(QStringLiteral("/admin/sales/%1").arg(bigId))),
             QJsonDocument(bigSchedule).toJson(), admin, &status);
        QCOMPARE(status, 200);
        QByteArray saleSecret;
        {
            const auto opened = flashsale::db::openDatabase(
                flashsale::db::DatabaseUrl::parse(databaseUrl).value(), QStringLiteral("bench"));
            QVERIFY2(opened.ok(), qPrintable(opened.error()));
            QSqlQuery q(opened.value());
            QVERIFY(
                q.exec(QStringLiteral("SELECT path_secret FROM miaosha_goods WHERE goods_id = %1")
                           .arg(bigId))
                && q.next());
            saleSecret = q.value(0).toByteArray();
        }
        flashsale::db::closeDatabase(QStringLiteral("bench"));
        const flashsale::users::SessionTokens tokens(sessionSecret, 3600);
        const flashsale::sale::PathSigner signer(saleSecret);
        // One line per shopper (path, then Authorization), read by the script at start:
        // a Lua table literal this big exceeds LuaJIT's constants per function.
        QTemporaryFile shopperLines;
        QVERIFY(shopperLines.open());
        constexpr int shopperCount = 150'000;
        QByteArray lines;
        for (qint64 user = 1; user <= shopperCount; ++user)
            lines += "/api/sales/" + QByteArray::number(bigId) + '/'
                + signer.path(user, bigId).toLatin1() + "/orders Bearer "
                + tokens.issue(user, now).toLatin1() + '\n';
        shopperLines.write(lines);
        shopperLines.flush();
        QTemporaryFile shoppers;
        QVERIFY(shoppers.open());
        const QByteArray lua =
            "local reqs = {}\n"
            "local counter = 0\n"
            "local nextid = 0\n"
            "function setup(thread) thread:set(\"id\", nextid); nextid = nextid + 1 end\n"
            "function init(args)\n"
            "  for line in io.lines(\""
            + shopperLines.fileName().toUtf8()
            + "\") do\n"
              "    local path, auth = line:match(\"^(%S+) (.+)$\")\n"
              "    reqs[#reqs + 1] = {path, auth}\n"
              "  end\n"
              "  counter = id\n"
              "end\n"
              "function request()\n"
              "  local r = reqs[(counter % #reqs) + 1]\n"
              "  counter = counter + 2\n"
              "  return wrk.format(\"POST\", r[1], {[\"Authorization\"] = r[2]})\n"
              "end\n";
        shoppers.write(lua);
        shoppers.flush();
        {
            // One shopper by hand first: the run below only counts answers.
            const QJsonObject first = call(
                "POST",
                server.baseUrl().resolved(QUrl(QStringLiteral("/api/sales/%1/%2/orders")
                                                   .arg(bigId)
                                                   .arg(signer.path(shopperCount + 1, bigId)))),
                {}, "Bearer " + tokens.issue(shopperCount + 1, now).toLatin1(), &status);
            QVERIFY2(status == 202, QJsonDocument(first).toJson().constData());
        }

        const int seconds = qEnvironmentVariableIntValue("FLASHSALE_BENCH_SECONDS") > 0
            ? qEnvironmentVariableIntValue("FLASHSALE_BENCH_SECONDS")
            : 10;
        const QUrl nginx =
            QUrl(TestServices::instance().nginxUrl()).resolved(QUrl(QStringLiteral("/bench/ok")));
        runWrk(nginx, {}, 32, 2); // warm-up
        const WrkFigures base = runWrk(nginx, {}, 32, seconds);
        const WrkFigures soldOut = runWrk(buy, script.fileName(), 32, seconds);
        // Half of the peak load: fewer connections, so the p99 is not queueing.
        const WrkFigures light = runWrk(buy, script.fileName(), 4, seconds);
        const WrkFigures full = runWrk(server.baseUrl(), shoppers.fileName(), 32, seconds);
        QVERIFY2(full.requestsPerSecond > 0, qPrintable(full.raw));
        QVERIFY2(full.requestsPerSecond * seconds < shopperCount,
                 qPrintable(QStringLiteral("more requests than shoppers: some were duplicates\n")
                            + full.raw));

        QVERIFY2(base.requestsPerSecond > 0, qPrintable(base.raw));
        QVERIFY2(soldOut.requestsPerSecond > 0, qPrintable(soldOut.raw));
        // Every sold-out answer is a 410: all of them count as non-2xx.
        QVERIFY2(soldOut.non2xx > 0, qPrintable(soldOut.raw));
        std::printf("\nbench_buy (wrk -t2, %d s each, same machine, same run)\n", seconds);
        std::printf("  (c) nginx return 200   : %9.0f req/s  p50 %6.2f ms  p99 %6.2f ms  (32 "
                    "connections)\n",
                    base.requestsPerSecond, base.p50Ms, base.p99Ms);
        std::printf(
            "  (b) buy, sold out      : %9.0f req/s  p50 %6.2f ms  p99 %6.2f ms  (32 connections)"
            "  ratio to nginx %.2f (target 0.8)\n",
            soldOut.requestsPerSecond, soldOut.p50Ms, soldOut.p99Ms,
            soldOut.requestsPerSecond / base.requestsPerSecond);
        std::printf(
            "  (b) buy, sold out, light: %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  (4 connections;"
            " p99 target 10 ms)\n",
            light.requestsPerSecond, light.p50Ms, light.p99Ms);
        std::printf(
            "  (a) buy, full reservation: %6.0f req/s  p50 %6.2f ms  p99 %6.2f ms  (32 connections)"
            "  ratio to nginx %.2f (target 0.5); non-2xx %lld\n",
            full.requestsPerSecond, full.p50Ms, full.p99Ms,
            full.requestsPerSecond / base.requestsPerSecond, full.non2xx);
        if (full.non2xx > 0) {
            // How the server answered the requests it did not accept, and what it logged.
            QNetworkRequest request(server.baseUrl().resolved(QUrl(QStringLiteral("/metrics"))));
            QNetworkReply *reply = m_network.get(request);
            QEventLoop loop;
            connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            loop.exec();
            const QList<QByteArray> metrics = reply->readAll().split('\n');
            reply->deleteLater();
            for (const QByteArray &line : metrics) {
                if (line.startsWith("flashsale_buy_requests_total{"))
                    std::printf("  server: %s\n", line.constData());
            }
            const QStringList lines = server.output().split(u'\n');
            qsizetype shown = 0;
            for (const QString &line : lines) {
                if ((line.contains(QStringLiteral(" W ")) || line.contains(QStringLiteral(" E ")))
                    && shown++ < 10)
                    std::printf("  server: %s\n", qPrintable(line));
            }
        }
        std::fflush(stdout);
        QCOMPARE(server.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(bench_Buy)
#include "bench_buy.moc"
