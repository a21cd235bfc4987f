#include "adminapi/degradation.h"
#include "adminapi/goods.h"
#include "adminapi/jsonfields.h"
#include "adminapi/salestatus.h"
#include "adminapi/stats.h"

#include <QJsonDocument>
#include <QTest>
#include <QTimeZone>

using namespace flashsale;
using namespace flashsale::adminapi;

namespace {
QJsonObject parse(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}
} // namespace

class tst_AdminApiTypes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void goodsRoundTrip()
    {
        Goods goods;
        goods.goodsId = 7;
        goods.name = QStringLiteral("Phone, \"X\"");
        goods.description = QStringLiteral("Fast");
        goods.image = QStringLiteral("/img/7.png");
        goods.priceCents = 99900;
        goods.flashPriceCents = 49900;
        const Result<Goods> parsed = Goods::fromJson(goods.toJson());
        QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
        QCOMPARE(parsed.value(), goods);
        QVERIFY(!goods.toRequestJson().contains(QStringLiteral("goodsId")));
    }

    void goodsFaults_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("fault");
        QTest::newRow("missing name")
            << QByteArray(R"({"goodsId":1,"priceCents":1,"flashPriceCents":1})")
            << "name is missing";
        QTest::newRow("fractional id")
            << QByteArray(R"({"goodsId":1.5,"name":"a","priceCents":1,"flashPriceCents":1})")
            << "goodsId is not a whole number";
        QTest::newRow("price as string")
            << QByteArray(R"({"goodsId":1,"name":"a","priceCents":"1","flashPriceCents":1})")
            << "priceCents is not a whole number";
        QTest::newRow("name as number")
            << QByteArray(R"({"goodsId":1,"name":3,"priceCents":1,"flashPriceCents":1})")
            << "name is not a string";
    }

    void goodsFaults()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, fault);
        const Result<Goods> parsed = Goods::fromJson(parse(json));
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error().contains(fault), qPrintable(parsed.error()));
        QVERIFY(parsed.error().startsWith(QStringLiteral("Goods: ")));
    }

    void saleStatusTimes()
    {
        const QByteArray json = R"({"goodsId":3,"name":"Cup","priceCents":500,
            "flashPriceCents":100,"preloadedStock":10,"stockLeft":4,"ordersCreated":5,
            "pending":1,"revealAt":"2026-11-27T09:55:00.000Z","startAt":"2026-11-27T10:00:00.000Z",
            "endAt":"2026-11-27T11:00:00.250Z","ratePerSecond":250.5,"burst":50,"challengeBits":16,"addressWindowMs":2000,
            "acceptedPerSecond":12.5,"state":"live","degraded":false,"degradedMessage":""})";
        const Result<SaleStatus> s = SaleStatus::fromJson(parse(json));
        QVERIFY2(s.ok(), qPrintable(s.error()));
        QCOMPARE(s->startAt, QDateTime(QDate(2026, 11, 27), QTime(10, 0), Qt::UTC));
        QCOMPARE(s->endAt.time().msec(), 250);
        QCOMPARE(s->ratePerSecond, 250.5);
        QCOMPARE(s->addressWindowMs, 2000);
        QCOMPARE(s->stockLeft, 4);
        QCOMPARE(s->challengeBits, 16);
        QVERIFY(s->isScheduled());
        // Written back in the wire format, byte for byte.
        QCOMPARE(s->toJson().value(QStringLiteral("endAt")).toString(),
                 QStringLiteral("2026-11-27T11:00:00.250Z"));
        const Result<SaleStatus> again = SaleStatus::fromJson(s->toJson());
        QVERIFY(again.ok());
        QCOMPARE(again->revealAt, s->revealAt);
        QCOMPARE(again->challengeBits, 16);
        QCOMPARE(again->addressWindowMs, 2000);
    }

    void saleStatusDraftHasNoTimes()
    {
        const QByteArray json = R"({"goodsId":3,"name":"Cup","priceCents":500,
            "flashPriceCents":100,"preloadedStock":0,"stockLeft":0,"ordersCreated":0,
            "pending":0,"revealAt":null,"ratePerSecond":0,"burst":0,"challengeBits":0,"addressWindowMs":0,
            "acceptedPerSecond":0,"state":"draft","degraded":false,"degradedMessage":""})";
        const Result<SaleStatus> s = SaleStatus::fromJson(parse(json));
        QVERIFY2(s.ok(), qPrintable(s.error()));
        QVERIFY(!s->isScheduled());
        QVERIFY(!s->revealAt.isValid());
    }

    void saleStatusBadTimeListsEveryFault()
    {
        const QByteArray json = R"({"goodsId":3,"name":"Cup","priceCents":500,
            "flashPriceCents":100,"preloadedStock":0,"stockLeft":0,"ordersCreated":0,
            "pending":0,"startAt":"tomorrow","ratePerSecond":0,"burst":0,
            "acceptedPerSecond":0,"degraded":"no","degradedMessage":""})";
        const Result<SaleStatus> s = SaleStatus::fromJson(parse(json));
        QVERIFY(!s.ok());
        QVERIFY2(s.error().contains(QStringLiteral("startAt is not an ISO 8601 time")),
                 qPrintable(s.error()));
        QVERIFY2(s.error().contains(QStringLiteral("state is missing")), qPrintable(s.error()));
        QVERIFY2(s.error().contains(QStringLiteral("degraded is not true or false")),
                 qPrintable(s.error()));
    }

    void stats()
    {
        const QByteArray json = R"({"time":"2026-11-27T10:00:01.000Z","instances":2,
            "workers":1,
            "requestsPerSecond":{"queued":10,"sold_out":3,"duplicate":0,"too_frequent":1,
              "rate_limited":5,"degraded":0,"rejected":0,"error":0},
            "ordersPerSecond":9.5,"queueDepth":42,"deadLetters":3,
            "buyLatencyMs":{"p50":1.5,"p99":12.25,"count":40},
            "orderLagMs":{"p50":30,"p99":250,"count":9},"stale":["queueDepth"],
            "breakers":{"redis":"closed","rabbitmq":"half_open","postgres":"open"},
            "sales":[{"goodsId":1,"stockLeft":90,"pending":2,"ordersCreated":8,"acceptedPerSecond":10}]})";
        const Result<Stats> s = Stats::fromJson(parse(json));
        QVERIFY2(s.ok(), qPrintable(s.error()));
        QCOMPARE(s->requestsPerSecond.value(QStringLiteral("rate_limited")), 5.0);
        QCOMPARE(s->breakers.value(QStringLiteral("rabbitmq")), QStringLiteral("half_open"));
        QCOMPARE(s->sales.size(), 1);
        QCOMPARE(s->sales.first().stockLeft, 90);
        QCOMPARE(s->queueDepth, 42);
        QCOMPARE(s->deadLetters, 3);
        QCOMPARE(s->workers, 1);
        QCOMPARE(s->buyLatencyMs.p99, 12.25);
        QCOMPARE(s->orderLagMs.count, 9);
        QVERIFY(s->isStale(QStringLiteral("queueDepth")));
        QVERIFY(!s->isStale(QStringLiteral("rates")));
        const Result<Stats> again = Stats::fromJson(s->toJson());
        QVERIFY2(again.ok(), qPrintable(again.error()));
        QCOMPARE(again->sales.first().ordersCreated, 8);
        QCOMPARE(again->buyLatencyMs.p50, 1.5);
        QCOMPARE(again->orderLagMs.p99, 250.0);
        QCOMPARE(again->stale, s->stale);
        QCOMPARE(again->workers, 1);
        QCOMPARE(again->time, s->time);
    }

    void statsFaults()
    {
        const Result<Stats> s = Stats::fromJson(parse(
            R"({"time":"x","instances":1,"workers":0,"requestsPerSecond":{"queued":"many"},
                    "ordersPerSecond":1,"queueDepth":0,"deadLetters":0,
                    "buyLatencyMs":{"p50":1,"p99":2},"orderLagMs":{"p50":1,"p99":2,"count":1},
                    "stale":[],"breakers":{},"sales":[{"goodsId":1}]})"));
        QVERIFY(!s.ok());
        QVERIFY2(s.error().contains(QStringLiteral("time is not an ISO 8601 time")),
                 qPrintable(s.error()));
        QVERIFY2(s.error().contains(QStringLiteral("queued is not a number")),
                 qPrintable(s.error()));
        QVERIFY2(s.error().contains(QStringLiteral("stockLeft is missing")), qPrintable(s.error()));
        QVERIFY2(s.error().contains(QStringLiteral("buyLatencyMs: count is missing")),
                 qPrintable(s.error()));
    }

    void degradation()
    {
        const Result<Degradation> d =
            Degradation::fromJson(parse(R"({"site":{"on":false,"message":""},
                          "goods":[{"goodsId":4,"on":true,"message":"Back soon"}]})"));
        QVERIFY2(d.ok(), qPrintable(d.error()));
        QVERIFY(!d->site.on);
        QVERIFY(d->forGoods(4).on);
        QCOMPARE(d->forGoods(4).message, QStringLiteral("Back soon"));
        QVERIFY(!d->forGoods(5).on);
        QVERIFY(!Degradation::fromJson(parse(R"({"goods":[]})")).ok());
    }

    void formatTimeIsUtcWithMilliseconds()
    {
        const QDateTime local(QDate(2026, 1, 2), QTime(3, 4, 5, 6), QTimeZone(3600));
        QCOMPARE(formatTime(local), QStringLiteral("2026-01-02T02:04:05.006Z"));
    }
};

QTEST_GUILESS_MAIN(tst_AdminApiTypes)
#include "tst_adminapitypes.moc"
