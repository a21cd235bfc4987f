// flashsale-bench against a real server on the real stack: a short rehearsal passes its
// invariants (closed loop without a challenge, open loop with one), writes its report and
// plots; an order inserted into the database behind its back makes it exit 1 and name the
// invariants it breaks.

#include "shopclient.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <csignal>

using namespace flashsale;
using flashsale::test::ServerProcess;
using flashsale::test::ShopClient;
using flashsale::test::TestServices;

class tst_E2eRehearsal : public QObject
{
    Q_OBJECT

    ShopClient m_client;
    ServerProcess m_server;
    QString m_databaseUrl;

    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
    };

    /// Runs flashsale-bench with \a args against the server, waiting in an event loop (the
    /// server's log is read meanwhile, so its pipe never fills).
    Run bench(const QStringList &args)
    {
        QProcess process;
        process.start(QStringLiteral(FLASHSALE_BENCH_BINARY),
                      QStringList {QStringLiteral("--url"), m_server.baseUrl().toString(),
                                   QStringLiteral("--admin-url"), m_server.adminUrl().toString(),
                                   QStringLiteral("--admin-token"),
                                   QString::fromLatin1(ShopClient::adminToken),
                                   QStringLiteral("--database-url"), m_databaseUrl,
                                   QStringLiteral("--no-progress")}
                          + args);
        QEventLoop loop;
        QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(240'000, &loop, &QEventLoop::quit);
        if (process.state() != QProcess::NotRunning)
            loop.exec();
        Run run;
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished();
        } else if (process.exitStatus() == QProcess::NormalExit) {
            run.exitCode = process.exitCode();
        }
        run.out = QString::fromUtf8(process.readAllStandardOutput());
        run.err = QString::fromUtf8(process.readAllStandardError());
        return run;
    }

    bool exec(const QString &sql)
    {
        const auto url = db::DatabaseUrl::parse(m_databaseUrl);
        bool ok = false;
        {
            const auto opened = db::openDatabase(url.value(), QStringLiteral("rehearsal-test"));
            if (!opened)
                return false;
            QSqlQuery query(opened.value());
            ok = query.exec(sql);
            if (!ok)
                qWarning() << db::describeError(query);
        }
        db::closeDatabase(QStringLiteral("rehearsal-test"));
        return ok;
    }

    static QJsonObject readReport(const QString &dir)
    {
        QFile file(dir + QStringLiteral("/report.json"));
        if (!file.open(QIODevice::ReadOnly))
            return {};
        return QJsonDocument::fromJson(file.readAll()).object();
    }

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

    void closedLoopRehearsalHoldsItsInvariants()
    {
        QTemporaryDir reportDir;
        const Run run = bench(
            {QStringLiteral("--shoppers"), QStringLiteral("80"), QStringLiteral("--stock"),
             QStringLiteral("30"), QStringLiteral("--reveal-in"), QStringLiteral("1"),
             QStringLiteral("--start-in"), QStringLiteral("2"), QStringLiteral("--concurrency"),
             QStringLiteral("16"), QStringLiteral("--report"), reportDir.path()});
        qInfo().noquote() << run.out;
        QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
        QVERIFY(run.out.contains(QStringLiteral("ok     orders <= stock")));
        QVERIFY(run.out.contains(QStringLiteral("ok     database stock = preloaded - orders")));

        const QJsonObject report = readReport(reportDir.path());
        QCOMPARE(report.value(QStringLiteral("allInvariantsHold")).toBool(), true);
        QCOMPARE(report.value(QStringLiteral("invariants")).toArray().size(), 5);
        // 80 shoppers for 30 units: it sold out, and exactly 30 shoppers got an order.
        QVERIFY(report.value(QStringLiteral("soldOutAfterS")).toDouble() >= 0);
        QCOMPARE(report.value(QStringLiteral("shopperEndings"))
                     .toObject()
                     .value(QStringLiteral("created"))
                     .toInt(),
                 30);
        QCOMPARE(report.value(QStringLiteral("buyLatencyMs"))
                     .toObject()
                     .value(QStringLiteral("queued"))
                     .toObject()
                     .value(QStringLiteral("count"))
                     .toInt(),
                 30);
        for (const char *plot : {"answers.png", "latency.png", "stock.png"}) {
            QFile png(reportDir.filePath(QString::fromLatin1(plot)));
            QVERIFY2(png.open(QIODevice::ReadOnly), plot);
            QVERIFY(png.read(8).startsWith("\x89PNG"));
        }
    }

    void openLoopRehearsalWithChallengeHoldsItsInvariants()
    {
        QTemporaryDir reportDir;
        const Run run =
            bench({QStringLiteral("--shoppers"), QStringLiteral("40"), QStringLiteral("--stock"),
                   QStringLiteral("15"), QStringLiteral("--challenge-bits"), QStringLiteral("10"),
                   QStringLiteral("--reveal-in"), QStringLiteral("1"), QStringLiteral("--start-in"),
                   QStringLiteral("3"), QStringLiteral("--rate"), QStringLiteral("200"),
                   QStringLiteral("--report"), reportDir.path()});
        qInfo().noquote() << run.out;
        QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
        const QJsonObject report = readReport(reportDir.path());
        QCOMPARE(report.value(QStringLiteral("challengeBits")).toInt(), 10);
        QCOMPARE(report.value(QStringLiteral("shopperEndings"))
                     .toObject()
                     .value(QStringLiteral("created"))
                     .toInt(),
                 15);
        // Every shopper solved a challenge before asking for its path.
        QVERIFY(report.value(QStringLiteral("otherLatencyMs"))
                    .toObject()
                    .value(QStringLiteral("challenge"))
                    .toObject()
                    .value(QStringLiteral("count"))
                    .toInt()
                >= 40);
    }

    void killingTheApiAndTheWorkerMidSaleLosesNothing()
    {
        // A site of its own: an API instance (also the admin API) and a worker, which the
        // tool kills -9 in turn mid-sale and starts again. The reconciler is quick, so that a
        // reservation the killed API had not yet published is published again in seconds.
        const QStringList quick {QStringLiteral("--reconcile-after-ms"), QStringLiteral("2000"),
                                 QStringLiteral("--reconcile-interval-ms"), QStringLiteral("1000")};
        const auto env = ShopClient::environment(m_databaseUrl);
        ServerProcess api, worker;
        QVERIFY2(
            api.start(ShopClient::serverArgs({QStringLiteral("--role"), QStringLiteral("api")}),
                      env),
            qPrintable(api.output()));
        QVERIFY2(worker.start(
                     ShopClient::serverArgs(
                         QStringList {QStringLiteral("--role"), QStringLiteral("worker")} + quick),
                     env),
                 qPrintable(worker.output()));
        // The test's own server (role all) is the site's too: chaos takes the API in role api
        // first, and the worker in role worker.
        QTemporaryDir reportDir;
        QProcess process;
        process.start(QStringLiteral(FLASHSALE_BENCH_BINARY),
                      {QStringLiteral("--url"),
                       api.baseUrl().toString(),
                       QStringLiteral("--admin-url"),
                       api.adminUrl().toString(),
                       QStringLiteral("--admin-token"),
                       QString::fromLatin1(ShopClient::adminToken),
                       QStringLiteral("--database-url"),
                       m_databaseUrl,
                       QStringLiteral("--no-progress"),
                       QStringLiteral("--shoppers"),
                       QStringLiteral("60"),
                       QStringLiteral("--stock"),
                       QStringLiteral("40"),
                       QStringLiteral("--sale-rate"),
                       QStringLiteral("8"),
                       QStringLiteral("--burst"),
                       QStringLiteral("2"),
                       QStringLiteral("--attempts"),
                       QStringLiteral("300"),
                       QStringLiteral("--reveal-in"),
                       QStringLiteral("1"),
                       QStringLiteral("--start-in"),
                       QStringLiteral("2"),
                       QStringLiteral("--chaos"),
                       QStringLiteral("api,worker"),
                       QStringLiteral("--chaos-at"),
                       QStringLiteral("0.5"),
                       QStringLiteral("--chaos-down"),
                       QStringLiteral("1"),
                       QStringLiteral("--chaos-gap"),
                       QStringLiteral("1"),
                       QStringLiteral("--stack-dir"),
                       TestServices::instance().stackDir(),
                       QStringLiteral("--stack-script"),
                       TestServices::sourceDir() + QStringLiteral("/packaging/stack"),
                       QStringLiteral("--report"),
                       reportDir.path()});
        QEventLoop loop;
        QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(240'000, &loop, &QEventLoop::quit);
        if (process.state() != QProcess::NotRunning)
            loop.exec();
        const bool finished = process.state() == QProcess::NotRunning;
        if (!finished) {
            process.kill();
            process.waitForFinished();
        }
        const QString out = QString::fromUtf8(process.readAllStandardOutput());
        const QString err = QString::fromUtf8(process.readAllStandardError());
        qInfo().noquote() << out << err;

        // The restarted processes are the tool's children no more: stop them here, also
        // when the tool did not finish (it says each one's pid as it starts it).
        static const QRegularExpression restarted(QStringLiteral("started again \\(pid (\\d+)\\)"));
        for (auto it = restarted.globalMatch(err); it.hasNext();) {
            const pid_t pid = pid_t(it.next().captured(1).toLongLong());
            QVERIFY(pid > 1); // never 0 or -1: those would signal whole groups
            ::kill(pid, SIGTERM);
            QTRY_VERIFY_WITH_TIMEOUT(::kill(pid, 0) != 0, 30'000);
        }
        const QJsonObject report = readReport(reportDir.path());
        QVERIFY2(finished && process.exitStatus() == QProcess::NormalExit
                     && process.exitCode() == 0,
                 qPrintable(err + out));
        const QJsonArray chaos = report.value(QStringLiteral("chaos")).toArray();
        QCOMPARE(chaos.size(), 2);
        QCOMPARE(chaos[0].toObject().value(QStringLiteral("component")).toString(),
                 QStringLiteral("api"));
        QCOMPARE(chaos[1].toObject().value(QStringLiteral("component")).toString(),
                 QStringLiteral("worker"));
        for (const QJsonValue &event : chaos)
            QVERIFY(event.toObject().value(QStringLiteral("backAtS")).toDouble() > 0);
        QCOMPARE(report.value(QStringLiteral("allInvariantsHold")).toBool(), true);
    }

    void anOrderBehindItsBackBreaksTheStockInvariants()
    {
        // A sale the test schedules itself, with one order the pipeline never made.
        const qint64 goods = m_client.liveSale(m_server, QStringLiteral("Tampered"), 10);
        QVERIFY(goods > 0);
        QVERIFY(exec(QStringLiteral("INSERT INTO miaosha_order (user_id, goods_id, reservation, "
                                    "price_cents) VALUES (987654321, %1, 'behind-its-back', 100)")
                         .arg(goods)));
        const Run run = bench({QStringLiteral("--goods"), QString::number(goods),
                               QStringLiteral("--shoppers"), QStringLiteral("20")});
        qInfo().noquote() << run.out;
        QCOMPARE(run.exitCode, 1);
        // 20 shoppers took the 10 units: with the extra order there are 11.
        QVERIFY2(
            run.out.contains(QStringLiteral("FAILED orders <= stock: 11 orders, 10 preloaded")),
            qPrintable(run.out));
        QVERIFY2(
            run.out.contains(QStringLiteral("FAILED Redis stock + pending + orders = preloaded")),
            qPrintable(run.out));
        QVERIFY2(run.out.contains(QStringLiteral("FAILED database stock = preloaded - orders")),
                 qPrintable(run.out));
        QVERIFY(run.out.contains(QStringLiteral("ok     one order per shopper")));
        QVERIFY2(run.err.contains(QStringLiteral("invariant broken: orders <= stock; Redis stock + "
                                                 "pending + orders = preloaded; database stock = "
                                                 "preloaded - orders")),
                 qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(tst_E2eRehearsal)
#include "tst_e2e_rehearsal.moc"
