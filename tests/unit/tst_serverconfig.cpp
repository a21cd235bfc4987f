#include "serverconfig.h"

#include <QTest>

using namespace flashsale;

class tst_ServerConfig : public QObject
{
    Q_OBJECT

private:
    static Result<ServerConfig> load(const QHash<QString, QString> &commandLine)
    {
        LayeredConfig layers(ServerConfig::options());
        if (Status s = layers.load(QString(), QProcessEnvironment(), commandLine); !s)
            return Result<ServerConfig>::failure(s.error());
        return ServerConfig::fromLayers(layers);
    }

private Q_SLOTS:
    void defaults()
    {
        const Result<ServerConfig> config = load({});
        QVERIFY2(config.ok(), qPrintable(config.error()));
        QCOMPARE(config->role, ServerConfig::Role::All);
        QCOMPARE(config->listen.toString(), QStringLiteral("127.0.0.1:8080"));
    }

    void listenAddress_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("normalised");
        QTest::newRow("ipv4") << "127.0.0.1:80" << true << "127.0.0.1:80";
        QTest::newRow("any port") << "0.0.0.0:0" << true << "0.0.0.0:0";
        QTest::newRow("localhost") << "localhost:9" << true << "127.0.0.1:9";
        QTest::newRow("ipv6") << "[::1]:8080" << true << "[::1]:8080";
        QTest::newRow("no port") << "127.0.0.1" << false << QString();
        QTest::newRow("port too big") << "127.0.0.1:70000" << false << QString();
        QTest::newRow("port not a number") << "127.0.0.1:http" << false << QString();
        QTest::newRow("host name") << "example.org:80" << false << QString();
        QTest::newRow("empty") << QString() << false << QString();
    }

    void listenAddress()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(QString, normalised);
        const Result<ListenAddress> parsed = ListenAddress::parse(text);
        QCOMPARE(parsed.ok(), valid);
        if (valid)
            QCOMPARE(parsed->toString(), normalised);
        else
            QVERIFY(!parsed.error().isEmpty());
    }

    void role_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<int>("role");
        QTest::newRow("api") << "api" << true << int(ServerConfig::Role::Api);
        QTest::newRow("worker") << "worker" << true << int(ServerConfig::Role::Worker);
        QTest::newRow("all") << "all" << true << int(ServerConfig::Role::All);
        QTest::newRow("unknown") << "both" << false << 0;
    }

    void role()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(int, role);
        const Result<ServerConfig> config = load({{QStringLiteral("role"), text}});
        QCOMPARE(config.ok(), valid);
        if (valid)
            QCOMPARE(int(config->role), role);
        else
            QVERIFY2(config.error().startsWith(QStringLiteral("role:")),
                     qPrintable(config.error()));
    }

    void badListenNamesTheSetting()
    {
        const Result<ServerConfig> config = load({{QStringLiteral("listen"), QStringLiteral("x")}});
        QVERIFY(!config.ok());
        QVERIFY2(config.error().startsWith(QStringLiteral("listen:")), qPrintable(config.error()));
    }
};

QTEST_GUILESS_MAIN(tst_ServerConfig)
#include "tst_serverconfig.moc"
