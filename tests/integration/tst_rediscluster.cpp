#include "clusterredis.h"
#include "redis.h"
#include "redistestsupport.h"
#include "salekeys.h"
#include "salescripts.h"
#include "testservices.h"

#include <QRandomGenerator>
#include <QTest>

using namespace flashsale::redis;
using flashsale::test::awaitReply;
using flashsale::test::awaitResult;
using flashsale::test::freshGoodsId;
using flashsale::test::TestServices;

/// The client against a real 3-master Redis Cluster: slot routing, and a slot migrated
/// underneath a stream of reserves.
class TestRedisCluster : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void slotsAgreeWithTheServer();
    void reservesOnEveryNode();
    void followsASlotMigrationWithoutFailedReserves();

private:
    std::unique_ptr<Redis> m_cluster; ///< the client under test
    ClusterRedis *cluster() const { return static_cast<ClusterRedis *>(m_cluster.get()); }
    /// A plain connection to one node, for administration.
    std::unique_ptr<Redis> node(const RedisEndpoint &endpoint);
};

void TestRedisCluster::initTestCase()
{
    auto opened = Redis::open(TestServices::instance().redisClusterUrl());
    QVERIFY2(opened.ok(), qPrintable(opened.error()));
    m_cluster = std::move(opened).value();
    QVERIFY(QTest::qWaitFor([&] { return m_cluster->isConnected(); }, 10'000));
    QCOMPARE(cluster()->masters().size(), 3);
}

std::unique_ptr<Redis> TestRedisCluster::node(const RedisEndpoint &endpoint)
{
    auto opened = Redis::open(QStringLiteral("redis://") + endpoint.toString());
    if (!opened)
        qFatal("%s", qPrintable(opened.error()));
    std::unique_ptr<Redis> redis = std::move(opened).value();
    if (!QTest::qWaitFor([&] { return redis->isConnected(); }, 10'000))
        qFatal("node %s did not connect", qPrintable(endpoint.toString()));
    return redis;
}

void TestRedisCluster::slotsAgreeWithTheServer()
{
    auto *random = QRandomGenerator::global();
    for (int i = 0; i < 300; ++i) {
        QByteArray key = QByteArray::number(random->generate64(), 36);
        if (i % 3 == 1)
            key = "{g:" + QByteArray::number(i) + "}:stock";
        if (i % 3 == 2)
            key = "x{" + key + "}{y}";
        const RedisReply reply = awaitReply(*m_cluster, {"CLUSTER", "KEYSLOT", key});
        QCOMPARE(reply.toInteger(), qint64(keySlot(key)));
    }
}

void TestRedisCluster::reservesOnEveryNode()
{
    // One product per master, each sale run on its own node.
    QMap<QString, qint64> goodsByNode;
    for (qint64 goodsId = freshGoodsId(); goodsByNode.size() < 3; ++goodsId) {
        const auto owner = cluster()->nodeForSlot(keySlot(SaleKeys::hashTag(goodsId)));
        QVERIFY(owner.has_value());
        if (!goodsByNode.contains(owner->toString()))
            goodsByNode.insert(owner->toString(), goodsId);
    }
    const SaleScripts scripts(m_cluster.get(), 1);
    const quint64 movedBefore = cluster()->statistics().moved;
    for (auto it = goodsByNode.cbegin(); it != goodsByNode.cend(); ++it) {
        const qint64 goodsId = it.value();
        const auto loaded = awaitResult<PreloadOutcome>(
            [&](QObject *ctx, auto done) { scripts.preload(goodsId, 2, ctx, done); });
        QCOMPARE(loaded->kind, PreloadOutcome::Kind::Loaded);
        for (qint64 user = 1; user <= 3; ++user) {
            const auto outcome = awaitResult<ReserveOutcome>(
                [&](QObject *ctx, auto done) { scripts.reserve(goodsId, user, ctx, done); });
            QVERIFY2(outcome->kind != ReserveOutcome::Kind::Error, qPrintable(outcome->error));
            QCOMPARE(outcome->kind,
                     user <= 2 ? ReserveOutcome::Kind::Reserved : ReserveOutcome::Kind::SoldOut);
        }
        // The keys really are on that node: asked directly, it has them.
        const RedisEndpoint endpoint = RedisEndpoint::parse(it.key()).value();
        auto direct = node(endpoint);
        QCOMPARE(awaitReply(*direct, {"GET", SaleKeys(goodsId).stock}).toInteger(), 0);
        QCOMPARE(awaitReply(*direct, {"HLEN", SaleKeys(goodsId).results}).toInteger(), 2);
    }
    QCOMPARE(cluster()->statistics().moved, movedBefore);
}

void TestRedisCluster::followsASlotMigrationWithoutFailedReserves()
{
    const SaleScripts scripts(m_cluster.get(), 1);
    const qint64 goodsId = freshGoodsId();
    const int slot = keySlot(SaleKeys::hashTag(goodsId));
    const RedisEndpoint sourceEndpoint = cluster()->nodeForSlot(slot).value();
    RedisEndpoint targetEndpoint;
    for (const RedisEndpoint &master : cluster()->masters()) {
        if (!(master == sourceEndpoint))
            targetEndpoint = master;
    }
    QVERIFY(!targetEndpoint.host.isEmpty());
    auto source = node(sourceEndpoint);
    auto target = node(targetEndpoint);
    std::vector<std::unique_ptr<Redis>> allMasters;
    for (const RedisEndpoint &master : cluster()->masters())
        allMasters.push_back(node(master));
    const QByteArray sourceId = awaitReply(*source, {"CLUSTER", "MYID"}).bytes();
    const QByteArray targetId = awaitReply(*target, {"CLUSTER", "MYID"}).bytes();
    QVERIFY(!sourceId.isEmpty() && !targetId.isEmpty());

    const auto loaded = awaitResult<PreloadOutcome>(
        [&](QObject *ctx, auto done) { scripts.preload(goodsId, 1'000'000, ctx, done); });
    QCOMPARE(loaded->kind, PreloadOutcome::Kind::Loaded);

    // Reserves keep coming, each from a new shopper, for the whole migration.
    QList<ReserveOutcome> outcomes;
    qint64 sent = 0;
    QObject context;
    QTimer firing;
    firing.setInterval(2);
    QObject::connect(&firing, &QTimer::timeout, &context, [&] {
        for (int i = 0; i < 3; ++i)
            scripts.reserve(goodsId, ++sent, &context,
                            [&](const ReserveOutcome &o) { outcomes.append(o); });
    });
    firing.start();
    QVERIFY(QTest::qWaitFor([&] { return outcomes.size() > 100; }, 10'000));

    // The migration, step by step, as redis-cli --cluster reshard does it.
    const QByteArray slotText = QByteArray::number(slot);
    QCOMPARE(awaitReply(*target, {"CLUSTER", "SETSLOT", slotText, "IMPORTING", sourceId}).bytes(),
             QByteArray("OK"));
    QCOMPARE(awaitReply(*source, {"CLUSTER", "SETSLOT", slotText, "MIGRATING", targetId}).bytes(),
             QByteArray("OK"));
    QTest::qWait(50);
    // A key that is not on the source any more (here: never was) is answered with ASK.
    const quint64 askedBefore = cluster()->statistics().asked;
    const RedisReply asked = awaitReply(*m_cluster, {"GET", SaleKeys::hashTag(goodsId) + ":none"});
    QVERIFY2(asked.isNil(), qPrintable(asked.toString()));
    QVERIFY(cluster()->statistics().asked > askedBefore);

    int batches = 0;
    for (;;) {
        const RedisReply keys = awaitReply(*source, {"CLUSTER", "GETKEYSINSLOT", slotText, "3"});
        QCOMPARE(keys.type(), RedisReply::Type::Array);
        if (keys.elements().isEmpty())
            break;
        QList<QByteArray> migrate {"MIGRATE",
                                   targetEndpoint.host.toUtf8(),
                                   QByteArray::number(targetEndpoint.port),
                                   "",
                                   "0",
                                   "5000",
                                   "KEYS"};
        for (const RedisReply &key : keys.elements())
            migrate.append(key.bytes());
        const RedisReply moved = awaitReply(*source, migrate);
        QVERIFY2(!moved.isError(), qPrintable(moved.toString()));
        ++batches;
        QTest::qWait(20); // reserves meet the half-migrated slot
    }
    QVERIFY(batches > 0);
    for (const auto &master : allMasters)
        QCOMPARE(awaitReply(*master, {"CLUSTER", "SETSLOT", slotText, "NODE", targetId}).bytes(),
                 QByteArray("OK"));

    const qint64 sentAtEnd = sent;
    QVERIFY(QTest::qWaitFor([&] { return outcomes.size() > sentAtEnd + 200; }, 20'000));
    firing.stop();
    QVERIFY(QTest::qWaitFor([&] { return outcomes.size() == sent; }, 20'000));

    for (const ReserveOutcome &outcome : std::as_const(outcomes))
        QVERIFY2(outcome.kind == ReserveOutcome::Kind::Reserved,
                 qPrintable(QStringLiteral("user %1: kind %2 %3")
                                .arg(outcome.userId)
                                .arg(int(outcome.kind))
                                .arg(outcome.error)));
    QVERIFY(cluster()->statistics().moved > 0);
    QVERIFY(
        QTest::qWaitFor([&] { return cluster()->nodeForSlot(slot) == targetEndpoint; }, 10'000));
    const auto after = awaitResult<SaleInventory>(
        [&](QObject *ctx, auto done) { scripts.inventory(goodsId, ctx, done); });
    QCOMPARE(after->lastSequence, sent);
    QCOMPARE(after->stock, 1'000'000 - sent);
    qInfo("migrated slot %d from %s to %s in %d batches under %lld reserves; moved %llu, "
          "asked %llu, retried %llu",
          slot, qPrintable(sourceEndpoint.toString()), qPrintable(targetEndpoint.toString()),
          batches, sent, cluster()->statistics().moved, cluster()->statistics().asked,
          cluster()->statistics().retried);
}

QTEST_GUILESS_MAIN(TestRedisCluster)
#include "tst_rediscluster.moc"
