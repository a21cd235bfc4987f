// Benchmark: nginx serving a rendered product page against nginx's own `return 200`
// (the stack's /bench/ok), same machine, same run, same wrk settings. The page is rendered
// by a real flashsale-server into the stack's pages folder; the server is stopped before
// the runs, so what is measured is nginx and the file alone (target: >= 0.9x the baseline).
// Two page runs: without Accept-Encoding (the file as it is) and with gzip (the .gz copy
// the renderer writes beside it, sent by gzip_static without compressing per request).

#include "httpclient.h"
#include "serverprocess.h"
#include "testservices.h"
#include "wrk.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>
#include <QTimer>

#include <cstdio>

using flashsale::test::runWrk;
using flashsale::test::ServerProcess;
using flashsale::test::TestServices;
using flashsale::test::WrkFigures;

class bench_Storefront : public QObject
{
    Q_OBJECT

    flashsale::test::HttpClient m_http;

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
        const qint64 id =
            m_http
                .callJson("POST", server.adminUrl().resolved(QUrl(QStringLiteral("/admin/goods"))),
                          goods, admin)
                .body.value(QStringLiteral("goodsId"))
                .toInteger();
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
        m_http.callJson("PUT",
                        server.adminUrl().resolved(QUrl(QStringLiteral("/admin/sales/%1").arg(id))),
                        sale, admin);
        const QUrl page = nginx.resolved(QUrl(QStringLiteral("/sales/%1/").arg(id)));
        QTRY_COMPARE_WITH_TIMEOUT(m_http.call("GET", page).status, 200, 5000);
        // nginx alone from here on.
        QCOMPARE(server.stop(), 0);

        const int seconds = qEnvironmentVariableIntValue("FLASHSALE_BENCH_SECONDS") > 0
            ? qEnvironmentVariableIntValue("FLASHSALE_BENCH_SECONDS")
            : 10;
        const QUrl ok = nginx.resolved(QUrl(QStringLiteral("/bench/ok")));
        const QStringList gzip {QStringLiteral("Accept-Encoding: gzip")};
        runWrk(ok, 32, 2); // warm-up
        runWrk(page, 32, 2);
        // Baseline and page runs alternate, each twice, so a load change on the shared
        // machine touches both; the better of each pair counts.
        WrkFigures base, plain, zipped;
        for (int round = 0; round < 2; ++round) {
            const WrkFigures b = runWrk(ok, 32, seconds);
            const WrkFigures p = runWrk(page, 32, seconds);
            const WrkFigures z = runWrk(page, 32, seconds, {}, gzip);
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
