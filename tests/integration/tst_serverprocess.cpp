// flashsale-server as an operator runs it: start, health, clear failures, clean shutdown.

#include "httpclient.h"
#include "serverconfig.h"
#include "serverprocess.h"
#include "testservices.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTest>

#include <csignal>

using namespace flashsale;
using flashsale::test::ServerProcess;
using flashsale::test::TestServices;

class tst_ServerProcess : public QObject
{
    Q_OBJECT

private:
    test::HttpClient m_http;

    test::HttpReply request(const QByteArray &verb, const QUrl &url)
    {
        return m_http.call(verb, url);
    }

    static QProcessEnvironment environment(const QString &databaseUrl)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("FLASHSALE_DATABASE_URL"), databaseUrl);
        return env;
    }

    static quint16 unusedPort()
    {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        return probe.serverPort(); // closed again when probe goes out of scope
    }

private Q_SLOTS:
    void healthzShowsPostgresUp()
    {
        ServerProcess server;
        QVERIFY2(server.start({}, environment(TestServices::instance().createDatabase())),
                 qPrintable(server.output()));
        const test::HttpReply health =
            request("GET", server.baseUrl().resolved(QUrl(QStringLiteral("/healthz"))));
        QCOMPARE(health.status, 200);
        QCOMPARE(health.body.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        const QJsonObject postgres = health.body.value(QStringLiteral("dependencies"))
                                         .toObject()
                                         .value(QStringLiteral("postgres"))
                                         .toObject();
        QCOMPARE(postgres.value(QStringLiteral("state")).toString(), QStringLiteral("up"));

        // Redis and the RabbitMQ publisher join once connected (not before: a starting
        // instance is not degraded for a connection still being made).
        const auto stateOf = [&](const QString &name) {
            return request("GET", server.baseUrl().resolved(QUrl(QStringLiteral("/healthz"))))
                .body.value(QStringLiteral("dependencies"))
                .toObject()
                .value(name)
                .toObject()
                .value(QStringLiteral("state"))
                .toString();
        };
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(QStringLiteral("redis")), QStringLiteral("up"), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(QStringLiteral("rabbitmq")), QStringLiteral("up"), 5000);

        const test::HttpReply wrongMethod =
            request("DELETE", server.baseUrl().resolved(QUrl(QStringLiteral("/healthz"))));
        QCOMPARE(wrongMethod.status, 405);
        QCOMPARE(wrongMethod.body.value(QStringLiteral("error")).toString(),
                 QStringLiteral("method_not_allowed"));

        const test::HttpReply unknown =
            request("GET", server.baseUrl().resolved(QUrl(QStringLiteral("/no/such/route"))));
        QCOMPARE(unknown.status, 404);
        QCOMPARE(unknown.body.value(QStringLiteral("error")).toString(),
                 QStringLiteral("not_found"));

        QCOMPARE(server.stop(), 0);
        QVERIFY2(server.output().contains(QStringLiteral("shutting down")),
                 qPrintable(server.output()));
    }

    void sigintStopsCleanlyToo()
    {
        ServerProcess server;
        QVERIFY2(server.start({}, environment(TestServices::instance().createDatabase())),
                 qPrintable(server.output()));
        ::kill(pid_t(server.process().processId()), SIGINT);
        QCOMPARE(server.waitForExit(), 0);
    }

    void migrationsAppliedOnceAcrossRestarts()
    {
        const QString database = TestServices::instance().createDatabase();
        for (int run = 0; run < 2; ++run) {
            ServerProcess server;
            QVERIFY2(server.start({}, environment(database)), qPrintable(server.output()));
            const QString expected = run == 0 ? QStringLiteral("applied migration")
                                              : QStringLiteral("0 migrations applied");
            QVERIFY2(server.output().contains(expected), qPrintable(server.output()));
            QCOMPARE(server.stop(), 0);
        }
    }

    void unreachableDatabaseFailsWithOneLine()
    {
        const quint16 port = unusedPort();
        ServerProcess server;
        const QString url = QStringLiteral("postgres://flashsale@127.0.0.1:%1/flashsale").arg(port);
        QVERIFY(!server.start({QStringLiteral("--database-url"), url},
                              QProcessEnvironment::systemEnvironment()));
        QCOMPARE(server.waitForExit(), 1);
        const QStringList lines = server.output().trimmed().split(u'\n');
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines.first().startsWith(
                     QStringLiteral(
                         "flashsale-server: cannot reach PostgreSQL at 127.0.0.1:%1/flashsale")
                         .arg(port)),
                 qPrintable(lines.first()));
    }

    void badSettingsExitWithCode2_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("role") << QStringList {QStringLiteral("--role"), QStringLiteral("boss")}
                              << "flashsale-server: role: 'boss' is not one of api, worker, all";
        QTest::newRow("listen") << QStringList {QStringLiteral("--listen"),
                                                QStringLiteral("nowhere")}
                                << "flashsale-server: listen: 'nowhere' is not host:port";
        QTest::newRow("config file")
            << QStringList {QStringLiteral("--config"), QStringLiteral("/nonexistent.ini")}
            << "flashsale-server: config file /nonexistent.ini cannot be read";
        QTest::newRow("database url")
            << QStringList {QStringLiteral("--database-url"), QStringLiteral("mysql://x/y")}
            << "flashsale-server: database-url: database URL must start with postgres://";
        QTest::newRow("redis url")
            << QStringList {QStringLiteral("--redis-url"), QStringLiteral("http://nope")}
            << "flashsale-server: redis-url: bad Redis URL 'http://nope'";
        QTest::newRow("amqp url") << QStringList {QStringLiteral("--amqp-url"),
                                                  QStringLiteral("http://nope")}
                                  << "flashsale-server: amqp-url: ";
        QTest::newRow("spaces around a number are dropped, then checked")
            << QStringList {QStringLiteral("--http-threads"), QStringLiteral(" 0 ")}
            << "flashsale-server: http-threads: '0' is not a whole number from 1 to 64";
    }

    void badSettingsExitWithCode2()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        ServerProcess server;
        QVERIFY(!server.start(args, QProcessEnvironment::systemEnvironment()));
        const int code = server.waitForExit();
        const QString output = server.output().trimmed();
        QVERIFY2(output.startsWith(message), qPrintable(output));
        QVERIFY2(!output.contains(u'\n'), qPrintable(output));
        QCOMPARE(code, 2);
    }

    void helpListsEveryOptionWithItsDefault()
    {
        QProcess help;
        help.start(ServerProcess::binary(), {QStringLiteral("--help")});
        QVERIFY(help.waitForFinished(10'000));
        QCOMPARE(help.exitCode(), 0);
        const QString text = QString::fromUtf8(help.readAllStandardOutput()).simplified();
        for (const ConfigOption &option : ServerConfig::options()) {
            QVERIFY2(text.contains(QStringLiteral("--") + option.name), qPrintable(option.name));
            QVERIFY2(text.contains(LayeredConfig::environmentName(option.name)),
                     qPrintable(option.name));
            if (!option.defaultValue.isEmpty())
                QVERIFY2(text.contains(QStringLiteral("default: ") + option.defaultValue),
                         qPrintable(option.name));
        }
    }
};

QTEST_GUILESS_MAIN(tst_ServerProcess)
#include "tst_serverprocess.moc"
