#include "clusterrouting.h"

#include <QTest>

using namespace flashsale::redis;

class TestClusterRouting : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void crc16MatchesTheSpecification();
    void keySlot_data();
    void keySlot();
    void routingKey_data();
    void routingKey();
    void readsClusterSlots();
    void rejectsMalformedClusterSlots();
    void readsRedirections_data();
    void readsRedirections();
};

void TestClusterRouting::crc16MatchesTheSpecification()
{
    // The reference value from the Redis Cluster specification (CRC16 XMODEM).
    QCOMPARE(crc16("123456789"), quint16(0x31C3));
    QCOMPARE(crc16(""), quint16(0));
}

void TestClusterRouting::keySlot_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<int>("slot");
    // Values as CLUSTER KEYSLOT gives them (the integration test checks many more live).
    QTest::newRow("foo") << QByteArray("foo") << 12182;
    QTest::newRow("bar") << QByteArray("bar") << 5061;
    QTest::newRow("hello") << QByteArray("hello") << 866;
    QTest::newRow("123456789") << QByteArray("123456789") << (0x31C3 & 16383);
    QTest::newRow("tag") << QByteArray("{user1000}.following") << 3443;
    QTest::newRow("same tag") << QByteArray("{user1000}.followers") << 3443;
    QTest::newRow("empty tag hashes the whole key")
        << QByteArray("foo{}{bar}") << int(crc16("foo{}{bar}") & 16383);
    QTest::newRow("first tag only") << QByteArray("foo{bar}{zap}") << 5061;
    QTest::newRow("tag with brace") << QByteArray("foo{{bar}}zap") << int(crc16("{bar") & 16383);
    QTest::newRow("unclosed brace") << QByteArray("foo{bar") << int(crc16("foo{bar") & 16383);
    QTest::newRow("goods tag") << QByteArray("{g:42}:stock") << int(crc16("g:42") & 16383);
}

void TestClusterRouting::keySlot()
{
    QFETCH(QByteArray, key);
    QFETCH(int, slot);
    QCOMPARE(flashsale::redis::keySlot(key), slot);
}

void TestClusterRouting::routingKey_data()
{
    QTest::addColumn<QList<QByteArray>>("args");
    QTest::addColumn<QByteArray>("key"); // empty: none
    QTest::newRow("get") << QList<QByteArray> {"GET", "k"} << QByteArray("k");
    QTest::newRow("evalsha") << QList<QByteArray> {"EVALSHA", "abc", "2", "k1", "k2", "a"}
                             << QByteArray("k1");
    QTest::newRow("eval lower case")
        << QList<QByteArray> {"eval", "src", "1", "k1"} << QByteArray("k1");
    QTest::newRow("eval no keys") << QList<QByteArray> {"EVAL", "src", "0", "a"} << QByteArray();
    QTest::newRow("ping") << QList<QByteArray> {"PING"} << QByteArray();
    QTest::newRow("script flush") << QList<QByteArray> {"SCRIPT", "FLUSH"} << QByteArray();
    QTest::newRow("cluster keyslot")
        << QList<QByteArray> {"CLUSTER", "KEYSLOT", "x"} << QByteArray();
}

void TestClusterRouting::routingKey()
{
    QFETCH(QList<QByteArray>, args);
    QFETCH(QByteArray, key);
    const std::optional<QByteArray> actual = flashsale::redis::routingKey(args);
    QCOMPARE(actual.value_or(QByteArray()), key);
}

void TestClusterRouting::readsClusterSlots()
{
    const auto node = [](const char *host, qint64 port) {
        return RedisReply::array(
            {RedisReply::string(host), RedisReply::integer(port), RedisReply::string("id")});
    };
    const RedisReply reply =
        RedisReply::array({RedisReply::array({RedisReply::integer(0), RedisReply::integer(5460),
                                              node("127.0.0.1", 7000), node("127.0.0.1", 7003)}),
                           RedisReply::array({RedisReply::integer(5461), RedisReply::integer(16383),
                                              node("", 7001)})});
    const auto ranges = parseClusterSlots(reply, RedisEndpoint {QStringLiteral("10.1.1.1"), 7001});
    QVERIFY2(ranges.ok(), qPrintable(ranges.error()));
    QCOMPARE(ranges->size(), 2);
    QCOMPARE(ranges->at(0).first, 0);
    QCOMPARE(ranges->at(0).last, 5460);
    QCOMPARE(ranges->at(0).master.toString(), QStringLiteral("127.0.0.1:7000"));
    // An empty address means "the node you asked".
    QCOMPARE(ranges->at(1).master.toString(), QStringLiteral("10.1.1.1:7001"));
}

void TestClusterRouting::rejectsMalformedClusterSlots()
{
    const RedisEndpoint queried {QStringLiteral("h"), 1};
    QVERIFY(!parseClusterSlots(RedisReply::error("ERR This instance has cluster support disabled"),
                               queried)
                 .ok());
    QVERIFY(!parseClusterSlots(RedisReply::array({RedisReply::integer(1)}), queried).ok());
    const RedisReply outOfRange = RedisReply::array({RedisReply::array(
        {RedisReply::integer(0), RedisReply::integer(16384),
         RedisReply::array({RedisReply::string("h"), RedisReply::integer(1)})})});
    QVERIFY(!parseClusterSlots(outOfRange, queried).ok());
}

void TestClusterRouting::readsRedirections_data()
{
    QTest::addColumn<QByteArray>("error");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<bool>("ask");
    QTest::addColumn<int>("slot");
    QTest::addColumn<QString>("target");
    QTest::newRow("moved") << QByteArray("MOVED 3999 127.0.0.1:6381") << true << false << 3999
                           << "127.0.0.1:6381";
    QTest::newRow("ask") << QByteArray("ASK 12 10.0.0.2:7002") << true << true << 12
                         << "10.0.0.2:7002";
    QTest::newRow("other error") << QByteArray("ERR wrong") << false << false << 0 << "";
    QTest::newRow("bad slot") << QByteArray("MOVED 99999 h:1") << false << false << 0 << "";
    QTest::newRow("no target") << QByteArray("MOVED 1") << false << false << 0 << "";
}

void TestClusterRouting::readsRedirections()
{
    QFETCH(QByteArray, error);
    QFETCH(bool, valid);
    QFETCH(bool, ask);
    QFETCH(int, slot);
    QFETCH(QString, target);
    const auto redirection = parseRedirection(RedisReply::error(error));
    QCOMPARE(redirection.has_value(), valid);
    if (!valid)
        return;
    QCOMPARE(redirection->kind == Redirection::Kind::Ask, ask);
    QCOMPARE(redirection->slot, slot);
    QCOMPARE(redirection->target.toString(), target);
}

QTEST_GUILESS_MAIN(TestClusterRouting)
#include "tst_clusterrouting.moc"
