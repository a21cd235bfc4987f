// Benchmark: flashsale-bench's own CPU per request against wrk's, on the same server, the
// same route (the buy), in the same run. The tool rehearses a sale (FLASHSALE_BENCH_SHOPPERS
// shoppers, 10,000 by default, a tenth of that in stock, closed loop on 64 connections) and
// reports its CPU per request over the sale phase (report.json, proofs of work excluded);
// then wrk -t2 -c64 posts to the same sale's buy path (sold out by then, so every answer is
// the 410 the tool also saw most) with one shopper's token, and its CPU comes from
// getrusage(RUSAGE_CHILDREN) around it. Target: the tool at most 2x wrk's CPU per request.
// Run: `packaging/test --bench -R bench_rehearsal` (release preset).

#include "serverprocess.h"
#include "shopclient.h"
#include "testservices.h"

#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <sys/resource.h>

using namespace flashsale::test;

namespace {

double childrenCpuUs()
{
    rusage usage {};
    ::getrusage(RUSAGE_CHILDREN, &usage);
    return usage.ru_utime.tv_sec * 1e6 + usage.ru_utime.tv_usec + usage.ru_stime.tv_sec * 1e6
        + usage.ru_stime.tv_usec;
}

/// Runs \a program to its end in an event loop (the server's log is read meanwhile).
QByteArray runToEnd(QProcess &process, const QString &program, const QStringList &args,
                    int *exitCode)
{
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, args);
    QEventLoop loop;
    QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(500'000, &loop, &QEventLoop::quit);
    if (process.state() != QProcess::NotRunning)
        loop.exec();
    *exitCode =
        process.state() == QProcess::NotRunning && process.exitStatus() == QProcess::NormalExit
        ? process.exitCode()
        : -1;
    return process.readAll();
}

} // namespace

class bench_Rehearsal : public QObject
{
    Q_OBJECT

    ShopClient m_client;
    ServerProcess m_server;
    QString m_databaseUrl;

private Q_SLOTS:
    void initTestCase()
    {
        m_databaseUrl = TestServices::instance().createDatabase();
        QVERIFY2(m_server.start(
                     ShopClient::serverArgs({QStringLiteral("--role"), QStringLiteral("all")}),
                     ShopClient::environment(m_databaseUrl)),
                 qPrintable(m_server.output()));
        QVERIFY(ShopClient::offsetGoodsIds(m_databaseUrl));
    }

    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }

    void toolCpuPerRequestAgainstWrk()
    {
        const int shoppers = qEnvironmentVariableIsSet("FLASHSALE_BENCH_SHOPPERS")
            ? qEnvironmentVariableIntValue("FLASHSALE_BENCH_SHOPPERS")
            : 10'000;
        QTemporaryDir reportDir;
        QProcess tool;
        int exitCode = -1;
        const QByteArray toolOutput = runToEnd(
            tool, QStringLiteral(FLASHSALE_BENCH_BINARY),
            {QStringLiteral("--url"), m_server.baseUrl().toString(), QStringLiteral("--admin-url"),
             m_server.adminUrl().toString(), QStringLiteral("--admin-token"),
             QString::fromLatin1(ShopClient::adminToken), QStringLiteral("--database-url"),
             m_databaseUrl, QStringLiteral("--shoppers"), QString::number(shoppers),
             QStringLiteral("--stock"), QString::number(shoppers / 10),
             QStringLiteral("--concurrency"), QStringLiteral("64"), QStringLiteral("--start-in"),
             QStringLiteral("3"), QStringLiteral("--no-progress"), QStringLiteral("--report"),
             reportDir.path()},
            &exitCode);
        qInfo().noquote() << toolOutput;
        QCOMPARE(exitCode, 0);
        QFile reportFile(reportDir.filePath(QStringLiteral("report.json")));
        QVERIFY(reportFile.open(QIODevice::ReadOnly));
        const QJsonObject report = QJsonDocument::fromJson(reportFile.readAll()).object();
        const double toolCpu = report.value(QStringLiteral("clientCpuUsPerRequest")).toDouble();
        const qint64 toolRequests = report.value(QStringLiteral("requestsSent")).toInteger();
        const double toolRate = report.value(QStringLiteral("answersPerSecond")).toDouble();
        const qint64 goods = report.value(QStringLiteral("goodsId")).toInteger();
        QVERIFY(toolCpu > 0);

        // wrk on the same buy route of the same (now sold-out) sale, as one more shopper.
        const QByteArray bearer = m_client.shopper(m_server, QStringLiteral("wrk-shopper"));
        QVERIFY(!bearer.isEmpty());
        const QUrl buy = m_client.buyUrl(m_server, goods, bearer);
        QTemporaryDir scriptDir;
        const QString script = scriptDir.filePath(QStringLiteral("buy.lua"));
        QFile lua(script);
        QVERIFY(lua.open(QIODevice::WriteOnly));
        lua.write("wrk.method = \"POST\"\nwrk.headers[\"Authorization\"] = \"" + bearer + "\"\n");
        lua.close();
        const double before = childrenCpuUs();
        QProcess wrk;
        const QString wrkOutput = QString::fromUtf8(
            runToEnd(wrk, QStringLiteral("wrk"),
                     {QStringLiteral("-t2"), QStringLiteral("-c64"), QStringLiteral("-d10s"),
                      QStringLiteral("-s"), script, buy.toString()},
                     &exitCode));
        const double wrkCpuUs = childrenCpuUs() - before;
        QCOMPARE(exitCode, 0);
        static const QRegularExpression total(QStringLiteral("(\\d+) requests in"));
        static const QRegularExpression rps(QStringLiteral("Requests/sec:\\s+([0-9.]+)"));
        const double wrkRequests = total.match(wrkOutput).captured(1).toDouble();
        const double wrkRate = rps.match(wrkOutput).captured(1).toDouble();
        QVERIFY2(wrkRequests > 0, qPrintable(wrkOutput));
        const double wrkCpu = wrkCpuUs / wrkRequests;

        qInfo().noquote()
            << QStringLiteral(
                   "\n| client | requests | answers/s | CPU / request | ratio (target <= 2) |\n"
                   "| --- | --- | --- | --- | --- |\n"
                   "| wrk -t2 -c64, buy (410 sold_out) | %1 | %2 | %3 us | 1 |\n"
                   "| flashsale-bench, %4 shoppers, 64 connections | %5 | %6 | %7 us | %8 |")
                   .arg(qint64(wrkRequests))
                   .arg(wrkRate, 0, 'f', 0)
                   .arg(wrkCpu, 0, 'f', 2)
                   .arg(shoppers)
                   .arg(toolRequests)
                   .arg(toolRate, 0, 'f', 0)
                   .arg(toolCpu, 0, 'f', 2)
                   .arg(toolCpu / wrkCpu, 0, 'f', 2);
    }
};

QTEST_GUILESS_MAIN(bench_Rehearsal)
#include "bench_rehearsal.moc"
