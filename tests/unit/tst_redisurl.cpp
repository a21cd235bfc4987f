#include "redisurl.h"

#include <QTest>

using flashsale::redis::RedisEndpoint;
using flashsale::redis::RedisUrl;

class TestRedisUrl : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesGoodUrls_data();
    void parsesGoodUrls();
    void rejectsBadUrls_data();
    void rejectsBadUrls();
    void neverEchoesThePassword();
};

void TestRedisUrl::parsesGoodUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("cluster");
    QTest::addColumn<QStringList>("nodes");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<int>("database");

    QTest::newRow("host and port") << QStringLiteral("redis://127.0.0.1:6380") << false
                                   << QStringList {QStringLiteral("127.0.0.1:6380")}
                                   << QStringLiteral("") << QStringLiteral("") << 0;
    QTest::newRow("default port") << QStringLiteral("redis://localhost") << false
                                  << QStringList {QStringLiteral("localhost:6379")}
                                  << QStringLiteral("") << QStringLiteral("") << 0;
    QTest::newRow("password and db")
        << QStringLiteral("redis://:s3cr%40t@h:1/3") << false << QStringList {QStringLiteral("h:1")}
        << QStringLiteral("") << QStringLiteral("s3cr@t") << 3;
    QTest::newRow("acl user") << QStringLiteral("redis://app:pw@h:2/0") << false
                              << QStringList {QStringLiteral("h:2")} << QStringLiteral("app")
                              << QStringLiteral("pw") << 0;
    QTest::newRow("trailing slash")
        << QStringLiteral("redis://h:2/") << false << QStringList {QStringLiteral("h:2")}
        << QStringLiteral("") << QStringLiteral("") << 0;
    QTest::newRow("ipv6") << QStringLiteral("redis://[::1]:7000") << false
                          << QStringList {QStringLiteral("[::1]:7000")} << QStringLiteral("")
                          << QStringLiteral("") << 0;
    QTest::newRow("cluster") << QStringLiteral(
        "redis-cluster://10.0.0.1:7000,10.0.0.2:7001,10.0.0.3:7002")
                             << true
                             << QStringList {QStringLiteral("10.0.0.1:7000"),
                                             QStringLiteral("10.0.0.2:7001"),
                                             QStringLiteral("10.0.0.3:7002")}
                             << QStringLiteral("") << QStringLiteral("") << 0;
    QTest::newRow("cluster one seed, password") << QStringLiteral("redis-cluster://:pw@h:7000")
                                                << true << QStringList {QStringLiteral("h:7000")}
                                                << QStringLiteral("") << QStringLiteral("pw") << 0;
}

void TestRedisUrl::parsesGoodUrls()
{
    QFETCH(QString, url);
    QFETCH(bool, cluster);
    QFETCH(QStringList, nodes);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(int, database);

    const auto parsed = RedisUrl::parse(url);
    QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
    QCOMPARE(parsed->kind == RedisUrl::Kind::Cluster, cluster);
    QStringList actual;
    for (const RedisEndpoint &node : parsed->nodes)
        actual.append(node.toString());
    QCOMPARE(actual, nodes);
    QCOMPARE(parsed->user, user);
    QCOMPARE(parsed->password, password);
    QCOMPARE(parsed->database, database);
    QVERIFY(!parsed->displayName().contains(u'@'));
}

void TestRedisUrl::rejectsBadUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected"); // a part of the message

    QTest::newRow("empty") << QStringLiteral("") << QStringLiteral("empty");
    QTest::newRow("wrong scheme") << QStringLiteral("http://h:1") << QStringLiteral("redis://");
    QTest::newRow("no scheme") << QStringLiteral("127.0.0.1:6379") << QStringLiteral("redis://");
    QTest::newRow("no host") << QStringLiteral("redis://") << QStringLiteral("no host");
    QTest::newRow("only port") << QStringLiteral("redis://:6379") << QStringLiteral("no host");
    QTest::newRow("port zero") << QStringLiteral("redis://h:0") << QStringLiteral("port");
    QTest::newRow("port too big") << QStringLiteral("redis://h:70000") << QStringLiteral("port");
    QTest::newRow("port not a number") << QStringLiteral("redis://h:abc") << QStringLiteral("port");
    QTest::newRow("empty port") << QStringLiteral("redis://h:") << QStringLiteral("empty port");
    QTest::newRow("bad db") << QStringLiteral("redis://h:1/x") << QStringLiteral("database");
    QTest::newRow("negative db") << QStringLiteral("redis://h:1/-1") << QStringLiteral("database");
    QTest::newRow("several hosts standalone")
        << QStringLiteral("redis://a:1,b:2") << QStringLiteral("redis-cluster://");
    QTest::newRow("cluster db") << QStringLiteral("redis-cluster://a:1/2")
                                << QStringLiteral("database 0");
    QTest::newRow("cluster empty node")
        << QStringLiteral("redis-cluster://a:1,,b:2") << QStringLiteral("no host");
    QTest::newRow("ipv6 without brackets")
        << QStringLiteral("redis://::1:6379") << QStringLiteral("brackets");
    QTest::newRow("unclosed bracket")
        << QStringLiteral("redis://[::1:6379") << QStringLiteral("unclosed");
    QTest::newRow("credentials without colon")
        << QStringLiteral("redis://pw@h:1") << QStringLiteral("credentials");
    QTest::newRow("empty password")
        << QStringLiteral("redis://user:@h:1") << QStringLiteral("empty password");
    QTest::newRow("space in host") << QStringLiteral("redis://a b:1") << QStringLiteral("host");
}

void TestRedisUrl::rejectsBadUrls()
{
    QFETCH(QString, url);
    QFETCH(QString, expected);
    const auto parsed = RedisUrl::parse(url);
    QVERIFY(!parsed.ok());
    QVERIFY2(parsed.error().contains(expected, Qt::CaseInsensitive), qPrintable(parsed.error()));
}

void TestRedisUrl::neverEchoesThePassword()
{
    const auto parsed = RedisUrl::parse(QStringLiteral("redis://:hunter2@h:99999"));
    QVERIFY(!parsed.ok());
    QVERIFY2(!parsed.error().contains(u"hunter2"), qPrintable(parsed.error()));
}

QTEST_GUILESS_MAIN(TestRedisUrl)
#include "tst_redisurl.moc"
