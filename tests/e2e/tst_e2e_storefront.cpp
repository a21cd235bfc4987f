// End to end, the storefront as shoppers use it: a real flashsale-server renders the pages
// into the stack's pages folder, the stack's nginx serves them and proxies /api/ to it, and
// Debian's chromium, driven by playwright-core (tests/e2e/storefront.mjs), plays each
// scenario: the countdown and a throttled buy, sold out, the kill switch, the end, a product
// named like markup, pages that never reach the server, the API down.

#include "shopclient.h"

#include <QDir>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

using namespace flashsale;
using flashsale::test::ServerProcess;
using flashsale::test::ShopClient;
using flashsale::test::TestServices;

class tst_E2eStorefront : public QObject
{
    Q_OBJECT

    ShopClient m_client;
    ServerProcess m_server;
    qint64 m_probeGoodsId = 0; ///< a sale made at the start: its page outlives the server

    static QString sourceDir() { return QStringLiteral(FLASHSALE_SOURCE_DIR); }

    /// Runs one scenario of storefront.mjs; its output goes to the test log.
    void runScenario(const QString &scenario, const QProcessEnvironment &extra = {})
    {
        const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
        QVERIFY2(!node.isEmpty(), "node is not installed (packaging/install-deps)");
        const QString e2e = sourceDir() + QStringLiteral("/tests/e2e");
        QVERIFY2(QFile::exists(e2e + QStringLiteral("/node_modules/playwright-core/package.json")),
                 "playwright-core is not installed in tests/e2e (packaging/install-deps)");
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("STOREFRONT_ADMIN_URL"), m_server.adminUrl().toString());
        env.insert(QStringLiteral("STOREFRONT_ADMIN_TOKEN"),
                   QString::fromLatin1(ShopClient::adminToken));
        env.insert(QStringLiteral("STOREFRONT_SERVER_URL"), m_server.baseUrl().toString());
        env.insert(QStringLiteral("STOREFRONT_GOODS_ID"), QString::number(m_probeGoodsId));
        env.insert(QStringLiteral("STOREFRONT_SCREENSHOT"),
                   QDir::current().absoluteFilePath(QStringLiteral("storefront.png")));
        for (const QString &key : extra.keys())
            env.insert(key, extra.value(key));
        QProcess process;
        process.setProcessEnvironment(env);
        process.setWorkingDirectory(e2e);
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(node, {QStringLiteral("storefront.mjs"), scenario});
        QVERIFY2(process.waitForStarted(), qPrintable(process.errorString()));
        const bool finished = process.waitForFinished(150'000);
        const QString output = QString::fromUtf8(process.readAll());
        qInfo().noquote() << output.trimmed();
        if (!finished)
            process.kill();
        QVERIFY2(finished, "the browser scenario did not finish in 150 s");
        QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0,
                 qPrintable(QStringLiteral("scenario %1 failed:\n%2").arg(scenario, output)));
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString nginx = TestServices::instance().nginxUrl();
        const QString pages = qEnvironmentVariable("FLASHSALE_PAGES_DIR");
        const QString stackDir = qEnvironmentVariable("FLASHSALE_STACK_DIR");
        QVERIFY2(!nginx.isEmpty() && !pages.isEmpty() && !stackDir.isEmpty(),
                 "FLASHSALE_NGINX_URL, FLASHSALE_PAGES_DIR and FLASHSALE_STACK_DIR must be set "
                 "(packaging/test, or source a stack's stack.env)");
        const QString databaseUrl = TestServices::instance().createDatabase();
        QVERIFY2(m_server.start(ShopClient::serverArgs({QStringLiteral("--pages-dir"), pages}),
                                ShopClient::environment(databaseUrl)),
                 qPrintable(m_server.output()));
        QVERIFY(ShopClient::offsetGoodsIds(databaseUrl));

        // nginx's /api/ to this server.
        QProcess stack;
        stack.setProcessChannelMode(QProcess::MergedChannels);
        stack.start(sourceDir() + QStringLiteral("/packaging/stack"),
                    {QStringLiteral("upstream"), QStringLiteral("--api"),
                     QStringLiteral("127.0.0.1:%1").arg(m_server.baseUrl().port()), stackDir});
        QVERIFY(stack.waitForFinished(30'000));
        QVERIFY2(stack.exitCode() == 0, stack.readAll().constData());

        m_probeGoodsId = m_client.liveSale(m_server, QStringLiteral("Probe"), 10);
        QVERIFY(m_probeGoodsId > 0);
        // Only this server knows this goods id (ids start at a random offset): once nginx
        // answers it, /api/ reaches this server.
        const QUrl throughNginx =
            QUrl(nginx).resolved(QUrl(QStringLiteral("/api/sales/%1").arg(m_probeGoodsId)));
        QTRY_COMPARE_WITH_TIMEOUT(m_client.call("GET", throughNginx).status, 200, 10'000);
        const QUrl page =
            QUrl(nginx).resolved(QUrl(QStringLiteral("/sales/%1/").arg(m_probeGoodsId)));
        QTRY_COMPARE_WITH_TIMEOUT(m_client.call("GET", page).status, 200, 5'000);
    }

    void cleanupTestCase()
    {
        if (m_server.process().state() != QProcess::NotRunning)
            QCOMPARE(m_server.stop(), 0);
    }

    void scenario_data()
    {
        QTest::addColumn<QString>("scenario");
        // Each row: the name of a scenario in storefront.mjs, which says what it checks.
        QTest::newRow("sign up, countdown, one throttled buy, queued, created, paid")
            << QStringLiteral("buy");
        QTest::newRow("sold out without a reload") << QStringLiteral("sold_out");
        QTest::newRow("kill switch message without a reload") << QStringLiteral("kill_switch");
        QTest::newRow("ended on the page's clock") << QStringLiteral("ended");
        QTest::newRow("markup in a product name is text, CSP header") << QStringLiteral("xss");
        QTest::newRow("pages never reach the server") << QStringLiteral("no_server");
        QTest::newRow("a proof-of-work challenge solved in the page, then a buy")
            << QStringLiteral("challenge");
    }

    void scenario()
    {
        QFETCH(QString, scenario);
        runScenario(scenario);
    }

    // Last: it stops the server.
    void pageRendersWithTheApiDown()
    {
        QCOMPARE(m_server.stop(), 0);
        runScenario(QStringLiteral("api_down"));
    }
};

QTEST_GUILESS_MAIN(tst_E2eStorefront)
#include "tst_e2e_storefront.moc"
