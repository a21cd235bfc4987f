// Benchmark: nginx serving a rendered product page against nginx's own `return 200`
// (the stack's /bench/ok), same machine, same run, same wrk settings. The page is rendered
// by a real flashsale-server into the stack's pages folder; the server is stopped before
// the runs, so what is measured is nginx and the file alone (target: >= 0.9x the baseline).
// Two page runs: without Accept-Encoding (the file as it is) and with gzip (the .gz copy
// the renderer writes beside it, sent by gzip_static without compressing per request).

#include "serverprocess.h"
#include "testservices.h"

#include <QDateTime>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>
#include <QTimer>

#include <cstdio>

using flashsale::test::ServerProcess;
using flashsale::test::TestServices;

namespace {

struct WrkFigures
{
    double requestsPerSecond = 0;
    double p99Ms = 0;
    qint64 non2xx = 0;
    QString raw;
};

WrkFigures runWrk(const QUrl &url, const QStringList &headers, int seconds)
{
    QStringList args {QStringLiteral("-t2"), QStringLiteral("-c32"),
                      QStringLiteral("-d%1s").arg(seconds), QStringLiteral("--latency")};
    for (const QString &h : headers)
        args << QStringLiteral("-H") << h;
    args << url.toString();
    QProcess wrk;
    wrk.setProcessChannelMode(QProcess::MergedChannels);
    wrk.start(QStringLiteral("wrk"), args);
    wrk.waitForFinished((seconds + 30) * 1000);
    WrkFigures f;
    f.raw = QString::fromUtf8(wrk.readAll());
    static const QRegularExpression rps(QStringLiteral("Requests/sec:\\s+([0-9.]+)"));
    static const QRegularExpression p99(QStringLiteral("\\s99%\\s+([0-9.]+)(us|ms|s)"));
    static const QRegularExpression non2xx(QStringLiteral("Non-2xx or 3xx responses:\\s+(\\d+)"));
    f.requestsPerSecond = rps.match(f.raw).captured(1).toDouble();
    const auto m99 = p99.match(f.raw);
    const double v = m99.captured(1).toDouble();
    f.p99Ms = m99.captured(2) == u"us" ? v / 1000 : m99.captured(2) == u"s" ? v * 1000 : v;
    f.non2xx = non2xx.match(f.raw).captured(1).toLongLong();
    return f;
}

} // namespace

class bench_Storefront : public QObject
{
    Q_OBJECT

    QNetworkAccessManager m_network;

    QNetworkReply *send(const QByteArray &verb, const QUrl &url, const QByteArray &body,
                        const QByteArray &authorization = {})
    {
        QNetworkRequest request(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        if (!authorization.isEmpty())
            request.setRawHeader("Authorization", authorization);
        QNetworkReply *reply = m_network.sendCustomRequest(request, verb, body);
        QEventLoop loop;
        connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        return reply;
    }
    int status(const QUrl &url)
    {
        QNetworkReply *reply = send("GET", url, {});
        const int s = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        reply->deleteLater();
        return s;
    }

private Q_SLOTS:
    void productPageAgainstNginxReturn200()
    {
        const QString pages = qEnvironmentVariable("FLASHSALE_PAGES_DIR");
        const QUrl nginx(TestServices::instance().nginxUrl());
        QVERIFY2(!pages.isEmpty() && !nginx.isEmpty(),
                 "FLASHSALE_PAGES_DIR and FLASHSALE_NGINX_URL must be set (packaging/test)");
        const QByteArray admin = "Bearer bench-admin";
        ServerProcess server;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("FLASHSALE_DATABASE_URL"),
                   TestServices::instance().createDatabase());
        QVERIFY2(server.start({QStringLiteral("--role"), QStringLiteral("api"),
                               QStringLiteral("--admin-token"), QStringLiteral("bench-admin"),
                               QStringLiteral("--pages-dir"), pages},
                              env),
                 qPrintable(server.output()));
        QVERIFY(TestServices::offsetGoodsIds(env.value(QStringLiteral("FLASHSALE_DATABASE_URL"))));
        const QJsonObject goods {
            {QStringLiteral("name"), QStringLiteral("Benchmark phone")},
            {QStringLiteral("description"),
             QStringLiteral("A product page of the usual size: a name, a paragraph or two of "
                            "description, prices and times.")},
            {QStringLiteral("image"), QStringLiteral("/img/phone.png")},
            {QStringLiteral("priceCents"), 79900},
            {QStringLiteral("flashPriceCents"), 49900}};
        QNetworkReply *made =
            send("POST", server.adminUrl().resolved(QUrl(QStringLiteral("/admin/goods"))),
                 QJsonDocument(goods).toJson(), admin);
        const qint64 id = QJsonDocument::fromJson(made->readAll()).object()[u"goodsId"].toInteger();
        made->deleteLater();
        QVERIFY(id > 0);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const auto iso = [](qint64 ms) {
            return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
        };
        const QJsonObject sale {{QStringLiteral("stock"), 100},
                                {QStringLiteral("revealAt"), iso(now)},
                                {QStringLiteral("startAt"), iso(now + 3'600'000)},
                                {QStringLiteral("endAt"), iso(now + 7'200'000)},
                                {QStringLiteral("ratePerSecond"), 1000},
                                {QStringLiteral("burst"), 100}};
        send("PUT", server.adminUrl().resolved(QUrl(QStringLiteral("/admin/sales/%1").arg(id))),
             QJsonDocument(sale).toJson(), admin)
            ->deleteLater();
        const QUrl page = nginx.resolved(QUrl(QStringLiteral("/sales/%1/").arg(id)));
        QTRY_COMPARE_WITH_TIMEOUT(status(page), 200, 5000);
        // nginx alone from here on.
        QCOMPARE(server.stop(), 0);

        const int seconds = qEnvironmentVariableIntValue("FLASHSALE_BENCH_SECONDS") > 0
            ? qEnvironmentVariableIntValue("FLASHSALE_BENCH_SECONDS")
            : 10;
        const QUrl ok = nginx.resolved(QUrl(QStringLiteral("/bench/ok")));
        const QStringList gzip {QStringLiteral("Accept-Encoding: gzip")};
        runWrk(ok, {}, 2); // warm-up
        runWrk(page, {}, 2);
        // Baseline and page runs alternate, each twice, so a load change on the shared
        // machine touches both; the better of each pair counts.
        WrkFigures base, plain, zipped;
        for (int round = 0; round < 2; ++round) {
            const WrkFigures b = runWrk(ok, {}, seconds);
            const WrkFigures p = runWrk(page, {}, seconds);
            const WrkFigures z = runWrk(page, gzip, seconds);
            QVERIFY2(b.requestsPerSecond > 0 && b.non2xx == 0, qPrintable(b.raw));
            QVERIFY2(p.requestsPerSecond > 0 && p.non2xx == 0, qPrintable(p.raw));
            QVERIFY2(z.requestsPerSecond > 0 && z.non2xx == 0, qPrintable(z.raw));
            if (b.requestsPerSecond > base.requestsPerSecond)
                base = b;
            if (p.requestsPerSecond > plain.requestsPerSecond)
                plain = p;
            if (z.requestsPerSecond > zipped.requestsPerSecond)
                zipped = z;
        }
        const qint64 bytes = QFile(pages + QStringLiteral("/sales/%1/index.html").arg(id)).size();
        const qint64 gzBytes =
            QFile(pages + QStringLiteral("/sales/%1/index.html.gz").arg(id)).size();
        std::printf("\nbench_storefront (wrk -t2 -c32, %d s each, best of 2 alternating rounds, "
                    "same machine, same run)\n",
                    seconds);
        std::printf("  nginx return 200          : %9.0f req/s  p99 %6.2f ms\n",
                    base.requestsPerSecond, base.p99Ms);
        std::printf(
            "  product page (%5lld bytes): %9.0f req/s  p99 %6.2f ms  ratio %.2f (target 0.9)\n",
            bytes, plain.requestsPerSecond, plain.p99Ms,
            plain.requestsPerSecond / base.requestsPerSecond);
        std::printf(
            "  product page, gzip (%4lld) : %9.0f req/s  p99 %6.2f ms  ratio %.2f (target 0.9)\n",
            gzBytes, zipped.requestsPerSecond, zipped.p99Ms,
            zipped.requestsPerSecond / base.requestsPerSecond);
    }
};

QTEST_GUILESS_MAIN(bench_Storefront)
#include "bench_storefront.moc"
