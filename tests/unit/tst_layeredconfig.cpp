#include "layeredconfig.h"

#include <QCommandLineParser>
#include <QTemporaryFile>
#include <QTest>

using namespace flashsale;

class tst_LayeredConfig : public QObject
{
    Q_OBJECT

private:
    static QList<ConfigOption> options()
    {
        return {
            {QStringLiteral("redis-url"), QStringLiteral("redis://default:6379"), {}, {}},
            {QStringLiteral("listen"), QStringLiteral("127.0.0.1:8080"), {}, {}},
        };
    }

    static QString writeIni(QTemporaryFile &file, const QByteArray &content)
    {
        if (!file.open())
            qFatal("cannot create a temporary file");
        file.write(content);
        file.flush();
        return file.fileName();
    }

private Q_SLOTS:
    void precedence_data()
    {
        QTest::addColumn<QByteArray>("ini");
        QTest::addColumn<QString>("env");
        QTest::addColumn<QString>("cli");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<int>("source");

        const QByteArray ini = "redis-url=redis://file:1\n";
        QTest::newRow("default") << QByteArray() << QString() << QString() << "redis://default:6379"
                                 << int(LayeredConfig::Source::Default);
        QTest::newRow("file over default") << ini << QString() << QString() << "redis://file:1"
                                           << int(LayeredConfig::Source::File);
        QTest::newRow("section in file")
            << QByteArray("[flashsale]\nredis-url=redis://section:3\n") << QString() << QString()
            << "redis://section:3" << int(LayeredConfig::Source::File);
        QTest::newRow("env over file") << ini << "redis://env:2" << QString() << "redis://env:2"
                                       << int(LayeredConfig::Source::Environment);
        QTest::newRow("cli over env") << ini << "redis://env:2"
                                      << "redis://cli:3"
                                      << "redis://cli:3" << int(LayeredConfig::Source::CommandLine);
        QTest::newRow("cli over file")
            << ini << QString() << "redis://cli:3"
            << "redis://cli:3" << int(LayeredConfig::Source::CommandLine);
    }

    void precedence()
    {
        QFETCH(QByteArray, ini);
        QFETCH(QString, env);
        QFETCH(QString, cli);
        QFETCH(QString, expected);
        QFETCH(int, source);

        QTemporaryFile file;
        const QString path = ini.isEmpty() ? QString() : writeIni(file, ini);
        QProcessEnvironment environment;
        if (!env.isEmpty())
            environment.insert(QStringLiteral("FLASHSALE_REDIS_URL"), env);
        QHash<QString, QString> commandLine;
        if (!cli.isEmpty())
            commandLine.insert(QStringLiteral("redis-url"), cli);

        LayeredConfig config(options());
        const Status status = config.load(path, environment, commandLine);
        QVERIFY2(status.ok(), qPrintable(status.error()));
        QCOMPARE(config.value(QStringLiteral("redis-url")), expected);
        QCOMPARE(int(config.source(QStringLiteral("redis-url"))), source);
        // The other option is untouched by every layer.
        QCOMPARE(config.value(QStringLiteral("listen")), QStringLiteral("127.0.0.1:8080"));
    }

    void commandLineParser()
    {
        LayeredConfig config(options());
        QCommandLineParser parser;
        config.addCommandLineOptions(parser);
        QVERIFY(parser.parse(
            {QStringLiteral("prog"), QStringLiteral("--listen"), QStringLiteral("0.0.0.0:9")}));
        QProcessEnvironment environment;
        environment.insert(QStringLiteral("FLASHSALE_LISTEN"), QStringLiteral("1.1.1.1:1"));
        environment.insert(QStringLiteral("FLASHSALE_REDIS_URL"), QStringLiteral("redis://e:1"));
        QVERIFY(config.load(parser, environment).ok());
        QCOMPARE(config.value(QStringLiteral("listen")), QStringLiteral("0.0.0.0:9"));
        QCOMPARE(config.value(QStringLiteral("redis-url")), QStringLiteral("redis://e:1"));
    }

    void configFileFromEnvironment()
    {
        QTemporaryFile file;
        const QString path = writeIni(file, "listen=10.0.0.1:1\n");
        LayeredConfig config(options());
        QCommandLineParser parser;
        config.addCommandLineOptions(parser);
        QVERIFY(parser.parse({QStringLiteral("prog")}));
        QProcessEnvironment environment;
        environment.insert(QStringLiteral("FLASHSALE_CONFIG"), path);
        QVERIFY(config.load(parser, environment).ok());
        QCOMPARE(config.value(QStringLiteral("listen")), QStringLiteral("10.0.0.1:1"));
        QCOMPARE(config.file(), path);
    }

    void unknownKeyInFileFails()
    {
        QTemporaryFile file;
        const QString path = writeIni(file, "redis-urll=redis://typo:1\n");
        LayeredConfig config(options());
        const Status status = config.load(path, {}, {});
        QVERIFY(!status.ok());
        QVERIFY2(status.error().contains(QStringLiteral("redis-urll")), qPrintable(status.error()));
    }

    void missingFileFails()
    {
        LayeredConfig config(options());
        const Status status = config.load(QStringLiteral("/nonexistent/flashsale.ini"), {}, {});
        QVERIFY(!status.ok());
        QVERIFY(status.error().contains(QStringLiteral("/nonexistent/flashsale.ini")));
    }

    void environmentName()
    {
        QCOMPARE(LayeredConfig::environmentName(QStringLiteral("redis-url")),
                 QStringLiteral("FLASHSALE_REDIS_URL"));
    }
};

QTEST_GUILESS_MAIN(tst_LayeredConfig)
#include "tst_layeredconfig.moc"
