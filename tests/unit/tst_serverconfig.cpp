#include "serverconfig.h"

#include <QTest>

using namespace flashsale;

class tst_ServerConfig : public QObject
{
    Q_OBJECT

private:
    struct IntegerRange
    {
        const char *name;
        qint64 min;
        qint64 max;
    };

    /// Every whole-number setting and the range fromLayers() takes.
    static QList<IntegerRange> integerRanges()
    {
        return {
            {"workers", 0, 64},
            {"worker-prefetch", 1, 65535},
            {"worker-batch", 1, 100'000},
            {"max-attempts", 1, 1000},
            {"reconcile-after-ms", 1, 7LL * 24 * 3600 * 1000},
            {"reconcile-interval-ms", 10, 24LL * 3600 * 1000},
            {"payment-timeout-s", 0, 365LL * 24 * 3600},
            {"http-threads", 1, 64},
            {"sql-threads", 1, 64},
            {"hash-threads", 0, 64},
            {"session-lifetime", 60, 366 * 86400},
            {"password-iterations", 1000, 10'000'000},
            {"max-in-flight", 1, 1'000'000},
            {"publish-backlog", 1, 10'000'000},
            {"buy-wait", 0, 1000},
            {"config-refresh", 50, 60'000},
            {"signin-failures", 1, 1000},
            {"signin-ip-failures", 1, 100'000},
            {"signups-per-ip", 0, 1'000'000},
        };
    }

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

    // Every whole-number setting, with its range: the ends are taken, one past them is
    // refused with the setting's name, and spaces around a value are dropped for all alike.
    void integerSettings_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<qint64>("min");
        QTest::addColumn<qint64>("max");
        for (const IntegerRange &range : integerRanges())
            QTest::newRow(range.name) << QString::fromLatin1(range.name) << range.min << range.max;
    }

    void integerSettings()
    {
        QFETCH(QString, name);
        QFETCH(qint64, min);
        QFETCH(qint64, max);
        for (const qint64 value : {min, max}) {
            for (const QString &text :
                 {QString::number(value), QStringLiteral("  %1 ").arg(value)}) {
                LayeredConfig layers(ServerConfig::options());
                QVERIFY(layers.load(QString(), QProcessEnvironment(), {{name, text}}).ok());
                QVERIFY2(ServerConfig::fromLayers(layers).ok(), qPrintable(name + u'=' + text));
                QCOMPARE(layers.integer(name, min, max).value(), value);
            }
        }
        for (const QString &text : {QString::number(min - 1), QString::number(max + 1),
                                    QStringLiteral("2x"), QStringLiteral("1.5"), QString()}) {
            const Result<ServerConfig> config = load({{name, text}});
            QVERIFY2(!config.ok(), qPrintable(name + u'=' + text));
            QCOMPARE(config.error(),
                     QStringLiteral("%1: '%2' is not a whole number from %3 to %4")
                         .arg(name, text.trimmed())
                         .arg(min)
                         .arg(max));
        }
    }

    // A new setting of a number (n, ms, s) gets a row in integerRanges(), or this fails.
    void everyIntegerSettingHasARange()
    {
        QStringList names;
        for (const IntegerRange &range : integerRanges())
            names.append(QString::fromLatin1(range.name));
        for (const ConfigOption &option : ServerConfig::options()) {
            if (option.valueName == u"n" || option.valueName == u"ms" || option.valueName == u"s")
                QVERIFY2(names.contains(option.name), qPrintable(option.name));
        }
    }

    // Every default is the member initialiser's: a default-loaded config equals ServerConfig{}.
    void defaultsAreTheMembers()
    {
        const Result<ServerConfig> loaded = load({});
        QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
        const ServerConfig d;
        QCOMPARE(loaded->httpThreads, d.httpThreads);
        QCOMPARE(loaded->sqlThreads, d.sqlThreads);
        QCOMPARE(loaded->sessionLifetimeSeconds, d.sessionLifetimeSeconds);
        QCOMPARE(loaded->passwordIterations, d.passwordIterations);
        QCOMPARE(loaded->maxInFlight, d.maxInFlight);
        QCOMPARE(loaded->publishBacklog, d.publishBacklog);
        QCOMPARE(loaded->buyWaitMs, d.buyWaitMs);
        QCOMPARE(loaded->configRefreshMs, d.configRefreshMs);
        QCOMPARE(loaded->signInMaxFailures, d.signInMaxFailures);
        QCOMPARE(loaded->signInAddressMaxFailures, d.signInAddressMaxFailures);
        QCOMPARE(loaded->signUpsPerAddress, d.signUpsPerAddress);
        QCOMPARE(loaded->adminListen.toString(), d.adminListen.toString());
        QCOMPARE(loaded->worker.workers, d.worker.workers);
        QCOMPARE(loaded->worker.batch, d.worker.batch);
        QCOMPARE(loaded->worker.paymentTimeoutSeconds, d.worker.paymentTimeoutSeconds);
        QCOMPARE(loaded->redis.displayName(), QStringLiteral("redis://127.0.0.1:6379"));
    }

    void badUrlsNameTheSetting_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("url");
        QTest::newRow("database") << "database-url"
                                  << "mysql://x/y";
        QTest::newRow("redis") << "redis-url"
                               << "http://nope";
        QTest::newRow("redis empty") << "redis-url"
                                     << "";
        QTest::newRow("amqp") << "amqp-url"
                              << "amqp:/";
    }

    void badUrlsNameTheSetting()
    {
        QFETCH(QString, name);
        QFETCH(QString, url);
        const Result<ServerConfig> config = load({{name, url}});
        QVERIFY(!config.ok());
        QVERIFY2(config.error().startsWith(name + u':'), qPrintable(config.error()));
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
