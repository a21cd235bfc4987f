#include "salekeys.h"
#include "saleoutcomes.h"

#include <QTest>

using namespace flashsale::redis;

Q_DECLARE_METATYPE(flashsale::redis::RedisReply)

class TestSaleOutcomes : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void keysShareOneHashTag();
    void readsReserveReplies();
    void reserveErrorsAreErrors();
    void readsShopperStatus_data();
    void readsShopperStatus();
};

void TestSaleOutcomes::keysShareOneHashTag()
{
    const SaleKeys keys(42);
    QCOMPARE(keys.stock, QByteArray("{g:42}:stock"));
    QCOMPARE(keys.results, QByteArray("{g:42}:results"));
    QCOMPARE(keys.window(7), QByteArray("{g:42}:win:7"));
    for (const QByteArray &key : {keys.total, keys.sequence, keys.pending, keys.soldOut})
        QVERIFY2(key.startsWith("{g:42}:"), key.constData());
}

void TestSaleOutcomes::readsReserveReplies()
{
    const auto reply = [](qint64 code, qint64 seq, qint64 ms) {
        return RedisReply::array(
            {RedisReply::integer(code), RedisReply::integer(seq), RedisReply::integer(ms)});
    };
    ReserveOutcome reserved = ReserveOutcome::fromReply(9, 3, reply(1, 17, 1700000000123));
    QCOMPARE(reserved.kind, ReserveOutcome::Kind::Reserved);
    QCOMPARE(reserved.sequence, 17);
    QCOMPARE(reserved.reservedAtMs, 1700000000123);
    QCOMPARE(reserved.reservationId(), QByteArray("9-17"));
    QCOMPARE(ReserveOutcome::fromReply(9, 3, reply(2, 0, 0)).kind, ReserveOutcome::Kind::SoldOut);
    QCOMPARE(ReserveOutcome::fromReply(9, 3, reply(3, 0, 0)).kind, ReserveOutcome::Kind::Duplicate);
    QCOMPARE(ReserveOutcome::fromReply(9, 3, reply(4, 0, 0)).kind,
             ReserveOutcome::Kind::TooFrequent);
    QCOMPARE(ReserveOutcome::fromReply(9, 3, reply(5, 0, 0)).kind,
             ReserveOutcome::Kind::NoSuchSale);
}

void TestSaleOutcomes::reserveErrorsAreErrors()
{
    const ReserveOutcome failed =
        ReserveOutcome::fromReply(1, 1, RedisReply::failure(QStringLiteral("not connected")));
    QCOMPARE(failed.kind, ReserveOutcome::Kind::Error);
    QCOMPARE(failed.error, QStringLiteral("not connected"));
    QCOMPARE(ReserveOutcome::fromReply(1, 1, RedisReply::integer(1)).kind,
             ReserveOutcome::Kind::Error);
    const ReserveOutcome badCode =
        ReserveOutcome::fromReply(1, 1,
                                  RedisReply::array({RedisReply::integer(9), RedisReply::integer(0),
                                                     RedisReply::integer(0)}));
    QCOMPARE(badCode.kind, ReserveOutcome::Kind::Error);
    QVERIFY(!badCode.error.isEmpty());
}

void TestSaleOutcomes::readsShopperStatus_data()
{
    QTest::addColumn<RedisReply>("reply");
    QTest::addColumn<int>("state");
    QTest::addColumn<qint64>("number");
    QTest::newRow("none") << RedisReply() << int(ShopperStatus::State::None) << qint64(0);
    QTest::newRow("queued") << RedisReply::string("q:12:1700000000000")
                            << int(ShopperStatus::State::Queued) << qint64(12);
    QTest::newRow("created") << RedisReply::string("c:991") << int(ShopperStatus::State::Created)
                             << qint64(991);
    QTest::newRow("failed") << RedisReply::string("f:cancelled")
                            << int(ShopperStatus::State::Failed) << qint64(0);
    QTest::newRow("garbage") << RedisReply::string("zz") << int(ShopperStatus::State::Error)
                             << qint64(0);
    QTest::newRow("bad number") << RedisReply::string("c:x") << int(ShopperStatus::State::Error)
                                << qint64(0);
    QTest::newRow("failure") << RedisReply::failure(QStringLiteral("down"))
                             << int(ShopperStatus::State::Error) << qint64(0);
}

void TestSaleOutcomes::readsShopperStatus()
{
    QFETCH(RedisReply, reply);
    QFETCH(int, state);
    QFETCH(qint64, number);
    const ShopperStatus status = ShopperStatus::fromReply(reply);
    QCOMPARE(int(status.state), state);
    if (status.state == ShopperStatus::State::Queued)
        QCOMPARE(status.position, number);
    if (status.state == ShopperStatus::State::Created)
        QCOMPARE(status.orderId, number);
    if (status.state == ShopperStatus::State::Failed)
        QCOMPARE(status.reason, QByteArray("cancelled"));
    if (status.state == ShopperStatus::State::Error)
        QVERIFY(!status.error.isEmpty());
}

QTEST_GUILESS_MAIN(TestSaleOutcomes)
#include "tst_saleoutcomes.moc"
