#include "buysteps.h"
#include "redis.h"
#include "redistestsupport.h"
#include "salekeys.h"
#include "salescripts.h"
#include "testservices.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>

using namespace flashsale::redis;
using flashsale::Result;
using flashsale::test::awaitReply;
using flashsale::test::awaitResult;
using flashsale::test::freshGoodsId;
using flashsale::test::TestServices;

/// The sale scripts against real Redis, standalone and a 3-master cluster alike.
class TestSaleScripts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void stormNeverOversells_data();
    void stormNeverOversells();
    void windowRejectsTooFrequentAttempts();
    void aBatchReservesAsIfOneAfterTheOther_data();
    void aBatchReservesAsIfOneAfterTheOther();
    void reservesAskedTogetherGoOutInOneCall();
    void addressWindowHoldsManyAccountsOfOneAddress_data();
    void addressWindowHoldsManyAccountsOfOneAddress();
    void rollbackReturnsTheUnitOnce();
    void preloadNeverResetsALiveSale();
    void topUpReopensASoldOutSale();
    void confirmRecordsTheOrder();
    void listsPendingReservations();
    void aSolvedChallengeIsClaimedOnce();

private:
    std::unique_ptr<Redis> connect(const QString &url);
    std::unique_ptr<Redis> m_redis; ///< standalone client for the single tests
};

std::unique_ptr<Redis> TestSaleScripts::connect(const QString &url)
{
    auto opened = Redis::open(url);
    if (!opened)
        qFatal("%s", qPrintable(opened.error()));
    std::unique_ptr<Redis> redis = std::move(opened).value();
    if (!QTest::qWaitFor([&] { return redis->isConnected(); }, 10'000))
        qFatal("redis %s did not connect", qPrintable(url));
    return redis;
}

namespace {

/// Rows for a test run against standalone Redis and against the cluster.
void standaloneAndCluster()
{
    QTest::addColumn<bool>("cluster");
    QTest::newRow("standalone") << false;
    QTest::newRow("cluster") << true;
}

PreloadOutcome preload(const SaleScripts &scripts, qint64 goodsId, qint64 stock)
{
    return awaitResult<PreloadOutcome>(
               [&](QObject *ctx, auto done) { scripts.preload(goodsId, stock, ctx, done); })
        .value_or(PreloadOutcome {});
}

ReserveOutcome reserve(const SaleScripts &scripts, qint64 goodsId, qint64 userId)
{
    return awaitResult<ReserveOutcome>(
               [&](QObject *ctx, auto done) { scripts.reserve(goodsId, userId, ctx, done); })
        .value_or(ReserveOutcome {});
}

ReserveOutcome reserve(const SaleScripts &scripts, qint64 goodsId, qint64 userId,
                       const AddressWindow &address)
{
    return awaitResult<ReserveOutcome>([&](QObject *ctx, auto done) {
               scripts.reserve(goodsId, userId, address, ctx, done);
           })
        .value_or(ReserveOutcome {});
}

RollbackOutcome rollback(const SaleScripts &scripts, qint64 goodsId, qint64 userId,
                         RollbackReason reason = RollbackReason::Cancelled)
{
    return awaitResult<RollbackOutcome>([&](QObject *ctx, auto done) {
               scripts.rollback(goodsId, userId, reason, ctx, done);
           })
        .value_or(RollbackOutcome {});
}

SaleInventory inventory(const SaleScripts &scripts, qint64 goodsId)
{
    return awaitResult<SaleInventory>(
               [&](QObject *ctx, auto done) { scripts.inventory(goodsId, ctx, done); })
        .value_or(SaleInventory {});
}

ShopperStatus status(const SaleScripts &scripts, qint64 goodsId, qint64 userId)
{
    return awaitResult<ShopperStatus>(
               [&](QObject *ctx, auto done) { scripts.status(goodsId, userId, ctx, done); })
        .value_or(ShopperStatus {});
}

/// Events of type \a type for \a goodsId among \a messages.
int countEvents(const QList<QByteArray> &messages, const char *type, qint64 goodsId)
{
    int count = 0;
    for (const QByteArray &message : messages) {
        const QJsonObject event = QJsonDocument::fromJson(message).object();
        if (event.value(QLatin1String("type")).toString() == QLatin1String(type)
            && event.value(QLatin1String("goodsId")).toInteger() == goodsId)
            ++count;
    }
    return count;
}

} // namespace

void TestSaleScripts::stormNeverOversells_data()
{
    standaloneAndCluster();
}

void TestSaleScripts::stormNeverOversells()
{
    QFETCH(bool, cluster);
    const QString url =
        cluster ? TestServices::instance().redisClusterUrl() : TestServices::instance().redisUrl();
    constexpr int connections = 8, attempts = 5'000, users = 1'000, stock = 100;
    std::vector<std::unique_ptr<Redis>> clients;
    for (int i = 0; i < connections; ++i)
        clients.push_back(connect(url));
    const qint64 goodsId = freshGoodsId();
    QList<QByteArray> events;
    QObject listener;
    QSignalSpy active(clients.front().get(), &Redis::subscriptionsActive);
    clients.front()->subscribe(SaleKeys::eventChannel(), &listener,
                               [&](const QByteArray &, const QByteArray &m) { events.append(m); });
    QVERIFY(QTest::qWaitFor([&] { return active.size() == 1; }, 10'000));

    // A 1 ms window so that repeated attempts reach the already-bought check.
    std::vector<SaleScripts> scripts;
    for (const auto &client : clients)
        scripts.emplace_back(client.get(), 1);
    QCOMPARE(preload(scripts.front(), goodsId, stock).kind, PreloadOutcome::Kind::Loaded);

    QList<ReserveOutcome> outcomes;
    QObject context;
    for (int attempt = 0; attempt < attempts; ++attempt) {
        const qint64 userId = 1 + attempt % users;
        // Each user's attempts go out on different connections, all at once.
        scripts[size_t((attempt / users + attempt) % connections)].reserve(
            goodsId, userId, &context,
            [&](const ReserveOutcome &outcome) { outcomes.append(outcome); });
    }
    QVERIFY(QTest::qWaitFor([&] { return outcomes.size() == attempts; }, 60'000));

    QSet<qint64> buyers;
    QList<qint64> sequences;
    QMap<ReserveOutcome::Kind, int> kinds;
    for (const ReserveOutcome &outcome : std::as_const(outcomes)) {
        ++kinds[outcome.kind];
        QVERIFY2(outcome.kind != ReserveOutcome::Kind::Error, qPrintable(outcome.error));
        if (outcome.kind != ReserveOutcome::Kind::Reserved)
            continue;
        QVERIFY2(!buyers.contains(outcome.userId),
                 qPrintable(QStringLiteral("user %1 reserved twice").arg(outcome.userId)));
        buyers.insert(outcome.userId);
        sequences.append(outcome.sequence);
    }
    QCOMPARE(kinds.value(ReserveOutcome::Kind::Reserved), stock);
    QVERIFY(kinds.value(ReserveOutcome::Kind::SoldOut) > 0);
    std::sort(sequences.begin(), sequences.end());
    for (int i = 0; i < stock; ++i)
        QCOMPARE(sequences[i], qint64(i + 1));

    const SaleInventory after = inventory(scripts.front(), goodsId);
    QVERIFY2(after.ok, qPrintable(after.error));
    QCOMPARE(after.stock, 0);
    QCOMPARE(after.total, qint64(stock));
    QCOMPARE(after.lastSequence, qint64(stock));
    QCOMPARE(after.pending, qint64(stock));
    QVERIFY(after.soldOut);
    QCOMPARE(awaitReply(*clients.front(), {"HLEN", SaleKeys(goodsId).results}).toInteger(),
             qint64(stock));
    // Exactly one sold-out event for the product.
    QVERIFY(QTest::qWaitFor([&] { return countEvents(events, "sold_out", goodsId) == 1; }, 10'000));
    QTest::qWait(50);
    QCOMPARE(countEvents(events, "sold_out", goodsId), 1);
}

void TestSaleScripts::windowRejectsTooFrequentAttempts()
{
    m_redis = connect(TestServices::instance().redisUrl());
    const SaleScripts scripts(m_redis.get()); // default 10 s window
    const qint64 goodsId = freshGoodsId();
    QCOMPARE(reserve(scripts, goodsId, 1).kind, ReserveOutcome::Kind::NoSuchSale);
    QCOMPARE(preload(scripts, goodsId, 10).kind, PreloadOutcome::Kind::Loaded);
    QCOMPARE(reserve(scripts, goodsId, 1).kind, ReserveOutcome::Kind::Reserved);
    QCOMPARE(reserve(scripts, goodsId, 1).kind, ReserveOutcome::Kind::TooFrequent);
    QCOMPARE(reserve(scripts, goodsId, 2).kind, ReserveOutcome::Kind::Reserved);
    const qint64 ttl = awaitReply(*m_redis, {"PTTL", SaleKeys(goodsId).window(1)}).toInteger();
    QVERIFY2(ttl > 0 && ttl <= 10'000, qPrintable(QString::number(ttl)));
    // Once the window has passed, the same shopper is a duplicate, not a second buyer.
    QCOMPARE(awaitReply(*m_redis, {"DEL", SaleKeys(goodsId).window(2)}).toInteger(), 1);
    QCOMPARE(reserve(scripts, goodsId, 2).kind, ReserveOutcome::Kind::Duplicate);
    QCOMPARE(inventory(scripts, goodsId).stock, 8);
}

void TestSaleScripts::aBatchReservesAsIfOneAfterTheOther_data()
{
    standaloneAndCluster();
}

void TestSaleScripts::aBatchReservesAsIfOneAfterTheOther()
{
    QFETCH(bool, cluster);
    m_redis = connect(cluster ? TestServices::instance().redisClusterUrl()
                              : TestServices::instance().redisUrl());
    const SaleScripts scripts(m_redis.get());
    using K = ReserveOutcome::Kind;
    const auto batch = [&](qint64 goodsId, const QList<ReserveAsk> &asks) {
        return awaitResult<QList<ReserveOutcome>>(
                   [&](QObject *ctx, auto done) { scripts.reserveMany(goodsId, asks, ctx, done); })
            .value_or(QList<ReserveOutcome> {});
    };
    const qint64 missing = freshGoodsId();
    const QList<ReserveOutcome> none = batch(missing, {{1, {}}, {2, {}}});
    QCOMPARE(none.size(), 2);
    QCOMPARE(none[0].kind, K::NoSuchSale);
    QCOMPARE(none[1].kind, K::NoSuchSale);

    const qint64 goodsId = freshGoodsId();
    QCOMPARE(preload(scripts, goodsId, 3).kind, PreloadOutcome::Kind::Loaded);
    QCOMPARE(reserve(scripts, goodsId, 10).kind, K::Reserved); // before the batch
    QList<QByteArray> events;
    QObject listener;
    QSignalSpy active(m_redis.get(), &Redis::subscriptionsActive);
    m_redis->subscribe(SaleKeys::eventChannel(), &listener,
                       [&](const QByteArray &, const QByteArray &m) { events.append(m); });
    QVERIFY(QTest::qWaitFor([&] { return active.size() == 1; }));
    const AddressWindow bot {"198.51.100.77", 60'000};
    // In order: a duplicate of an earlier buyer, a new shopper, the same shopper again within
    // the batch, two accounts of one address, the last unit, then sold out.
    const QList<ReserveOutcome> outcomes =
        batch(goodsId, {{10, {}}, {11, {}}, {11, {}}, {12, bot}, {13, bot}, {14, {}}, {15, {}}});
    QCOMPARE(outcomes.size(), 7);
    const QList<K> expected {K::TooFrequent,        K::Reserved, K::TooFrequent, K::Reserved,
                             K::AddressTooFrequent, K::SoldOut,  K::SoldOut};
    for (qsizetype i = 0; i < outcomes.size(); ++i) {
        QCOMPARE(outcomes[i].userId, (QList<qint64> {10, 11, 11, 12, 13, 14, 15})[i]);
        QVERIFY2(outcomes[i].kind == expected[i], qPrintable(QString::number(i)));
    }
    // Queue positions go on from the single reserve, in the batch's order.
    QCOMPARE(outcomes[1].sequence, 2);
    QCOMPARE(outcomes[3].sequence, 3);
    QVERIFY(outcomes[3].reservedAtMs > 0);
    const SaleInventory after = inventory(scripts, goodsId);
    QCOMPARE(after.stock, 0);
    QCOMPARE(after.pending, 3);
    QVERIFY(after.soldOut);
    // The last unit's batch announces the sold-out once.
    QVERIFY(QTest::qWaitFor([&] { return countEvents(events, "sold_out", goodsId) >= 1; }));
    QCOMPARE(countEvents(events, "sold_out", goodsId), 1);
}

void TestSaleScripts::reservesAskedTogetherGoOutInOneCall()
{
    m_redis = connect(TestServices::instance().redisUrl());
    const SaleScripts scripts(m_redis.get());
    const qint64 goodsId = freshGoodsId();
    QCOMPARE(preload(scripts, goodsId, 100).kind, PreloadOutcome::Kind::Loaded);
    QObject context;
    flashsale::sale::ScriptReserveStep step(scripts, &context);
    // Ten buys handed over at once (as a front's mailbox is drained), then one more later.
    QList<ReserveOutcome> answers;
    for (qint64 user = 1; user <= 10; ++user)
        step.reserve(goodsId, user, {}, [&](const ReserveOutcome &o) { answers.append(o); });
    QVERIFY(QTest::qWaitFor([&] { return answers.size() == 10; }));
    QCOMPARE(step.scriptCalls(), 1);
    for (qsizetype i = 0; i < answers.size(); ++i) {
        QCOMPARE(answers[i].kind, ReserveOutcome::Kind::Reserved);
        QCOMPARE(answers[i].userId, i + 1);
        QCOMPARE(answers[i].sequence, i + 1);
    }
    step.reserve(goodsId, 11, {}, [&](const ReserveOutcome &o) { answers.append(o); });
    QVERIFY(QTest::qWaitFor([&] { return answers.size() == 11; }));
    QCOMPARE(step.scriptCalls(), 2);
    QCOMPARE(answers.last().sequence, 11);
    // Past maxBatch shoppers a product takes several calls.
    const int many = flashsale::sale::ScriptReserveStep::maxBatch + 1;
    for (qint64 user = 100; user < 100 + many; ++user)
        step.reserve(goodsId, user, {}, [&](const ReserveOutcome &o) { answers.append(o); });
    QVERIFY(QTest::qWaitFor([&] { return answers.size() == 11 + many; }));
    QCOMPARE(step.scriptCalls(), 4);
    QCOMPARE(inventory(scripts, goodsId).stock, 100 - 11 - many);
}

void TestSaleScripts::addressWindowHoldsManyAccountsOfOneAddress_data()
{
    standaloneAndCluster();
}

void TestSaleScripts::addressWindowHoldsManyAccountsOfOneAddress()
{
    QFETCH(bool, cluster);
    m_redis = connect(cluster ? TestServices::instance().redisClusterUrl()
                              : TestServices::instance().redisUrl());
    const SaleScripts scripts(m_redis.get());
    const qint64 goodsId = freshGoodsId();
    QCOMPARE(preload(scripts, goodsId, 10).kind, PreloadOutcome::Kind::Loaded);
    using K = ReserveOutcome::Kind;
    const AddressWindow bot {"203.0.113.7", 60'000};
    QCOMPARE(reserve(scripts, goodsId, 1, bot).kind, K::Reserved);
    // Another account from the same address: held by the sale's address window.
    QCOMPARE(reserve(scripts, goodsId, 2, bot).kind, K::AddressTooFrequent);
    QCOMPARE(reserve(scripts, goodsId, 3, bot).kind, K::AddressTooFrequent);
    // A shopper's own repeat and duplicate answer as before and cost the address nothing.
    QCOMPARE(reserve(scripts, goodsId, 1, bot).kind, K::TooFrequent);
    // Other addresses, and sales without a window, are not held.
    QCOMPARE(reserve(scripts, goodsId, 4, {"203.0.113.8", 60'000}).kind, K::Reserved);
    QCOMPARE(reserve(scripts, goodsId, 5, {"203.0.113.7", 0}).kind, K::Reserved);
    QCOMPARE(reserve(scripts, goodsId, 6).kind, K::Reserved);
    const qint64 ttl =
        awaitReply(*m_redis, {"PTTL", SaleKeys(goodsId).addressWindow("203.0.113.7")}).toInteger();
    QVERIFY2(ttl > 0 && ttl <= 60'000, qPrintable(QString::number(ttl)));
    // Once the address's window is over, its next account gets its try (a new one: the
    // held ones are within their own 10 s window still).
    QCOMPARE(
        awaitReply(*m_redis, {"DEL", SaleKeys(goodsId).addressWindow("203.0.113.7")}).toInteger(),
        1);
    QCOMPARE(reserve(scripts, goodsId, 2, bot).kind, K::TooFrequent);
    QCOMPARE(reserve(scripts, goodsId, 7, bot).kind, K::Reserved);
    QCOMPARE(inventory(scripts, goodsId).stock, 5);
}

void TestSaleScripts::rollbackReturnsTheUnitOnce()
{
    m_redis = connect(TestServices::instance().redisUrl());
    const SaleScripts scripts(m_redis.get(), 1);
    const qint64 goodsId = freshGoodsId();
    QCOMPARE(preload(scripts, goodsId, 1).kind, PreloadOutcome::Kind::Loaded);
    QCOMPARE(reserve(scripts, goodsId, 10).kind, ReserveOutcome::Kind::Reserved);
    QCOMPARE(reserve(scripts, goodsId, 11).kind, ReserveOutcome::Kind::SoldOut);
    QVERIFY(inventory(scripts, goodsId).soldOut);

    // Ten rollbacks of the same reservation at once: one unit comes back.
    QList<RollbackOutcome> outcomes;
    QObject context;
    for (int i = 0; i < 10; ++i)
        scripts.rollback(goodsId, 10, RollbackReason::Cancelled, &context,
                         [&](const RollbackOutcome &o) { outcomes.append(o); });
    QVERIFY(QTest::qWaitFor([&] { return outcomes.size() == 10; }, 10'000));
    const auto returned = std::count_if(outcomes.begin(), outcomes.end(), [](const auto &o) {
        return o.kind == RollbackOutcome::Kind::Returned;
    });
    const auto already = std::count_if(outcomes.begin(), outcomes.end(), [](const auto &o) {
        return o.kind == RollbackOutcome::Kind::AlreadyRolledBack;
    });
    QCOMPARE(returned, 1);
    QCOMPARE(already, 9);
    QCOMPARE(rollback(scripts, goodsId, 10).kind, RollbackOutcome::Kind::AlreadyRolledBack);

    SaleInventory after = inventory(scripts, goodsId);
    QCOMPARE(after.stock, 1);
    QCOMPARE(after.pending, 0);
    QVERIFY(!after.soldOut); // the sold-out mark is cleared
    const ShopperStatus cancelled = status(scripts, goodsId, 10);
    QCOMPARE(cancelled.state, ShopperStatus::State::Failed);
    QCOMPARE(cancelled.reason, QByteArray("cancelled"));
    // The rolled-back shopper had their attempt; someone else gets the unit.
    QTest::qWait(5);
    QCOMPARE(reserve(scripts, goodsId, 10).kind, ReserveOutcome::Kind::Duplicate);
    QCOMPARE(reserve(scripts, goodsId, 11).kind, ReserveOutcome::Kind::Reserved);
    QCOMPARE(rollback(scripts, goodsId, 999).kind, RollbackOutcome::Kind::NoReservation);
    QCOMPARE(rollback(scripts, goodsId, 11, RollbackReason::Failed).kind,
             RollbackOutcome::Kind::Returned);
    QCOMPARE(status(scripts, goodsId, 11).reason, QByteArray("failed"));
    after = inventory(scripts, goodsId);
    QCOMPARE(after.stock, 1);
    QCOMPARE(after.total, 1);
}

void TestSaleScripts::preloadNeverResetsALiveSale()
{
    m_redis = connect(TestServices::instance().redisUrl());
    const SaleScripts scripts(m_redis.get(), 1);
    const qint64 goodsId = freshGoodsId();
    QCOMPARE(preload(scripts, goodsId, 30).kind, PreloadOutcome::Kind::Loaded);
    // Nothing handed out yet: a load replaces the stock (a sale re-planned before its start).
    const PreloadOutcome replaced = preload(scripts, goodsId, 50);
    QCOMPARE(replaced.kind, PreloadOutcome::Kind::Loaded);
    QCOMPARE(replaced.stock, 50);
    QCOMPARE(inventory(scripts, goodsId).total, 50);
    QCOMPARE(reserve(scripts, goodsId, 1).kind, ReserveOutcome::Kind::Reserved);
    QCOMPARE(reserve(scripts, goodsId, 2).kind, ReserveOutcome::Kind::Reserved);
    // A restarted or second instance loads again: the live stock stays.
    const PreloadOutcome again = preload(scripts, goodsId, 50);
    QCOMPARE(again.kind, PreloadOutcome::Kind::AlreadyLive);
    QCOMPARE(again.stock, 48);
    QCOMPARE(inventory(scripts, goodsId).total, 50);
    // Bad amounts are refused with an error, nothing written.
    const PreloadOutcome negative = preload(scripts, freshGoodsId(), -1);
    QCOMPARE(negative.kind, PreloadOutcome::Kind::Error);
    QVERIFY2(negative.error.contains(u"non-negative"), qPrintable(negative.error));
    const auto noSale = awaitResult<PreloadOutcome>(
        [&](QObject *ctx, auto done) { scripts.topUp(freshGoodsId(), 5, ctx, done); });
    QCOMPARE(noSale->kind, PreloadOutcome::Kind::NoSuchSale);
    const auto zeroTopUp = awaitResult<PreloadOutcome>(
        [&](QObject *ctx, auto done) { scripts.topUp(goodsId, 0, ctx, done); });
    QCOMPARE(zeroTopUp->kind, PreloadOutcome::Kind::Error);
    QCOMPARE(inventory(scripts, goodsId).stock, 48);
}

void TestSaleScripts::topUpReopensASoldOutSale()
{
    m_redis = connect(TestServices::instance().redisUrl());
    const SaleScripts scripts(m_redis.get(), 1);
    const qint64 goodsId = freshGoodsId();
    QList<QByteArray> events;
    QObject listener;
    QSignalSpy active(m_redis.get(), &Redis::subscriptionsActive);
    m_redis->subscribe(SaleKeys::eventChannel(), &listener,
                       [&](const QByteArray &, const QByteArray &m) { events.append(m); });
    QVERIFY(QTest::qWaitFor([&] { return active.size() == 1; }, 10'000));

    QCOMPARE(preload(scripts, goodsId, 1).kind, PreloadOutcome::Kind::Loaded);
    QCOMPARE(reserve(scripts, goodsId, 1).kind, ReserveOutcome::Kind::Reserved);
    QCOMPARE(reserve(scripts, goodsId, 2).kind, ReserveOutcome::Kind::SoldOut);
    QVERIFY(QTest::qWaitFor([&] { return countEvents(events, "sold_out", goodsId) == 1; }, 10'000));
    const auto topped = awaitResult<PreloadOutcome>(
        [&](QObject *ctx, auto done) { scripts.topUp(goodsId, 2, ctx, done); });
    QCOMPARE(topped->kind, PreloadOutcome::Kind::ToppedUp);
    QCOMPARE(topped->stock, 2);
    QVERIFY(
        QTest::qWaitFor([&] { return countEvents(events, "restocked", goodsId) == 1; }, 10'000));
    const SaleInventory after = inventory(scripts, goodsId);
    QVERIFY(!after.soldOut);
    QCOMPARE(after.total, 3);
    QTest::qWait(5);
    QCOMPARE(reserve(scripts, goodsId, 2).kind, ReserveOutcome::Kind::Reserved);
    const ReserveOutcome third = reserve(scripts, goodsId, 3);
    QCOMPARE(third.kind, ReserveOutcome::Kind::Reserved);
    QCOMPARE(third.sequence, 3);
    QCOMPARE(reserve(scripts, goodsId, 4).kind, ReserveOutcome::Kind::SoldOut);
}

void TestSaleScripts::confirmRecordsTheOrder()
{
    m_redis = connect(TestServices::instance().redisUrl());
    const SaleScripts scripts(m_redis.get(), 1);
    const qint64 goodsId = freshGoodsId();
    const auto confirm = [&](qint64 userId, qint64 orderId) {
        return awaitResult<ConfirmOutcome>([&](QObject *ctx, auto done) {
                   scripts.confirm(goodsId, userId, orderId, ctx, done);
               })
            ->kind;
    };
    QCOMPARE(preload(scripts, goodsId, 5).kind, PreloadOutcome::Kind::Loaded);
    QCOMPARE(status(scripts, goodsId, 7).state, ShopperStatus::State::None);
    const ReserveOutcome reserved = reserve(scripts, goodsId, 7);
    QCOMPARE(reserved.kind, ReserveOutcome::Kind::Reserved);
    const ShopperStatus queued = status(scripts, goodsId, 7);
    QCOMPARE(queued.state, ShopperStatus::State::Queued);
    QCOMPARE(queued.position, reserved.sequence);
    QCOMPARE(queued.reservedAtMs, reserved.reservedAtMs);

    QCOMPARE(confirm(7, 1234), ConfirmOutcome::Kind::Confirmed);
    const ShopperStatus created = status(scripts, goodsId, 7);
    QCOMPARE(created.state, ShopperStatus::State::Created);
    QCOMPARE(created.orderId, 1234);
    QCOMPARE(inventory(scripts, goodsId).pending, 0);
    QCOMPARE(confirm(7, 1234), ConfirmOutcome::Kind::AlreadyConfirmed);
    QCOMPARE(confirm(7, 999), ConfirmOutcome::Kind::OtherOrder);
    // Cancelling a created order returns the unit; a late confirm must compensate.
    QCOMPARE(rollback(scripts, goodsId, 7).kind, RollbackOutcome::Kind::Returned);
    QCOMPARE(confirm(7, 1234), ConfirmOutcome::Kind::RolledBack);
    QCOMPARE(inventory(scripts, goodsId).stock, 5);
    // An order Redis never saw a reservation for is still recorded for the shopper.
    QCOMPARE(confirm(8, 55), ConfirmOutcome::Kind::NoReservation);
    QCOMPARE(status(scripts, goodsId, 8).orderId, 55);
}

void TestSaleScripts::listsPendingReservations()
{
    m_redis = connect(TestServices::instance().redisUrl());
    const SaleScripts scripts(m_redis.get(), 1);
    const qint64 goodsId = freshGoodsId();
    QCOMPARE(preload(scripts, goodsId, 10).kind, PreloadOutcome::Kind::Loaded);
    QList<ReserveOutcome> reserved;
    for (qint64 user : {21, 22, 23}) {
        reserved.append(reserve(scripts, goodsId, user));
        QCOMPARE(reserved.last().kind, ReserveOutcome::Kind::Reserved);
        QTest::qWait(3);
    }
    const auto pending = [&](qint64 cutoff) {
        return awaitResult<Result<QList<PendingReservation>>>([&](QObject *ctx, auto done) {
                   scripts.pendingBefore(goodsId, cutoff, 100, ctx, done);
               })
            .value();
    };
    const qint64 later = reserved.last().reservedAtMs + 60'000;
    auto all = pending(later);
    QVERIFY2(all.ok(), qPrintable(all.error()));
    QCOMPARE(all->size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(all->at(i).userId, reserved[i].userId);
        QCOMPARE(all->at(i).goodsId, goodsId);
        QCOMPARE(all->at(i).sequence, reserved[i].sequence);
        QCOMPARE(all->at(i).reservedAtMs, reserved[i].reservedAtMs);
        QCOMPARE(all->at(i).reservationId(), reserved[i].reservationId());
    }
    // Only the old enough, and not the confirmed or rolled back ones.
    QCOMPARE(pending(reserved[0].reservedAtMs)->size(), 1);
    QCOMPARE(pending(reserved[0].reservedAtMs - 1)->size(), 0);
    QVERIFY(awaitResult<ConfirmOutcome>([&](QObject *ctx, auto done) {
                scripts.confirm(goodsId, 21, 1, ctx, done);
            }).has_value());
    QCOMPARE(rollback(scripts, goodsId, 22).kind, RollbackOutcome::Kind::Returned);
    all = pending(later);
    QCOMPARE(all->size(), 1);
    QCOMPARE(all->first().userId, 23);
}

QTEST_GUILESS_MAIN(TestSaleScripts)
#include "tst_salescripts.moc"

void TestSaleScripts::aSolvedChallengeIsClaimedOnce()
{
    // Two instances (clients) race to claim the same solution: exactly one wins.
    m_redis = connect(TestServices::instance().redisUrl());
    std::unique_ptr<Redis> other = connect(TestServices::instance().redisUrl());
    const SaleScripts first(m_redis.get()), second(other.get());
    const qint64 goodsId = freshGoodsId();
    const QByteArray challenge = "v1.7." + QByteArray::number(goodsId) + ".8.123.abc.MAC";
    const auto claim = [&](const SaleScripts &scripts, const QByteArray &which, qint64 ttl) {
        return awaitResult<Result<bool>>([&](QObject *ctx, auto done) {
                   scripts.claimChallenge(goodsId, which, ttl, ctx, done);
               })
            .value_or(Result<bool>::failure(QStringLiteral("no answer")));
    };
    const Result<bool> a = claim(first, challenge, 60'000);
    const Result<bool> b = claim(second, challenge, 60'000);
    QVERIFY(a && b);
    QCOMPARE(a.value(), true);
    QCOMPARE(b.value(), false);
    // Another challenge of the same product is its own.
    const Result<bool> c = claim(second, challenge + "x", 60'000);
    QVERIFY(c && c.value());
    // The record lives as long as the challenge could be used, no longer.
    const RedisReply ttl =
        awaitReply(*m_redis, {"PTTL", SaleKeys(goodsId).usedChallenge(challenge)});
    QVERIFY2(ttl.toInteger() > 50'000 && ttl.toInteger() <= 60'000, qPrintable(ttl.toString()));
}
