// sale::BuyDesk over real in-memory parts (catalog, sessions, switches, buckets, breakers,
// admission gate) with fakes for the reserve script and the order queue: every outcome,
// and for each pair of failing checks, the one that must answer first.

#include "buydesk.h"
#include "circuitbreaker.h"
#include "killswitch.h"
#include "productbuckets.h"
#include "reservation.h"
#include "salecatalog.h"
#include "sessiontokens.h"

#include <QTest>

using namespace flashsale;
using namespace flashsale::sale;
using Kind = BuyOutcome::Kind;

namespace {
constexpr qint64 t0 = 1'800'000'000'000; // the request's time
constexpr qint64 goodsId = 7;
constexpr qint64 userId = 42;
const QByteArray secret = "session-secret";

// The reserve script as the test scripts it: answers at once with the kind given.
class FakeReserveStep : public ReserveStep
{
public:
    redis::ReserveOutcome::Kind answer = redis::ReserveOutcome::Kind::Reserved;
    int calls = 0;

    redis::AddressWindow lastAddress; ///< the window of the last call

    void reserve(qint64 goods, qint64 user, const redis::AddressWindow &address,
                 std::function<void(const redis::ReserveOutcome &)> done) override
    {
        ++calls;
        lastAddress = address;
        redis::ReserveOutcome o;
        o.kind = answer;
        o.goodsId = goods;
        o.userId = user;
        o.sequence = 3;
        o.reservedAtMs = t0;
        if (answer == redis::ReserveOutcome::Kind::Error)
            o.error = QStringLiteral("timed out");
        done(o);
    }
};

class FakeOrderQueue : public OrderQueue
{
public:
    qint64 pending = 0;
    QList<amqp::Reservation> published;

    qint64 backlog() const override { return pending; }
    void publish(const amqp::Reservation &reservation) override { published.append(reservation); }
};

// One buy's world, built from a list of conditions ("auth=none", "switch=site", ...).
struct World
{
    catalog::SaleCatalog catalog;
    users::SessionTokens sessions {secret, 7200};
    KillSwitch killSwitch;
    ProductBuckets buckets;
    AdmissionGate admission {100};
    CircuitBreaker redisBreaker {QStringLiteral("redis"), {0.5, 1, 10'000, 60'000}};
    CircuitBreaker rabbitBreaker {QStringLiteral("rabbitmq"), {0.5, 1, 10'000, 60'000}};
    FakeOrderQueue orders;
    FakeReserveStep step;
    metrics::SaleMetrics metrics;
    bool noOrders = false;
    BuyRequest request;

    explicit World(const QStringList &conditions)
    {
        catalog::SaleRecord sale;
        sale.goods.goodsId = goodsId;
        SaleSchedule schedule;
        schedule.revealAtMs = t0 - 2000;
        schedule.startAtMs = t0 - 1000;
        schedule.endAtMs = t0 + 3'600'000;
        schedule.stock = 10;
        sale.schedule = schedule;
        sale.pathSecret = "sale-secret";
        sale.pathSigner = PathSigner(sale.pathSecret);
        buckets.configure(goodsId, 1000, 100);

        request.goodsId = goodsId;
        request.nowMs = t0;
        request.path = sale.pathSigner.path(userId, goodsId).toLatin1();
        request.authorization = "Bearer " + sessions.issue(userId, t0).toLatin1();
        bool loaded = true;
        bool listed = true;
        for (const QString &c : conditions) {
            if (c == u"crowded")
                admission.setLimit(0);
            else if (c == u"auth=none")
                request.authorization.clear();
            else if (c == u"auth=expired")
                request.authorization =
                    "Bearer " + sessions.issue(userId, t0 - 7'200'000).toLatin1();
            else if (c == u"auth=forged")
                request.authorization =
                    "Bearer " + users::SessionTokens("other", 3600).issue(userId, t0).toLatin1();
            else if (c == u"auth=basic")
                request.authorization = "Basic YTpi";
            else if (c == u"goods=unknown")
                listed = false;
            else if (c == u"goods=draft")
                sale.schedule.reset();
            else if (c == u"catalog=loading")
                loaded = false;
            else if (c == u"switch=site")
                killSwitch.setSite(true, QStringLiteral("Back at ten."));
            else if (c == u"switch=goods")
                killSwitch.setGoods(goodsId, true, QStringLiteral("Restocking."));
            else if (c == u"time=early")
                request.nowMs = t0 - 1500;
            else if (c == u"time=late")
                request.nowMs = t0 + 3'600'000;
            else if (c == u"path=forged")
                request.path[0] = request.path[0] == 'a' ? 'b' : 'a';
            else if (c == u"path=upper")
                request.path = request.path.toUpper();
            else if (c == u"path=short")
                request.path = "abc";
            else if (c == u"path=other")
                request.path = sale.pathSigner.path(userId + 1, goodsId).toLatin1();
            else if (c == u"soldout=mark")
                catalog.setSoldOut(goodsId, true);
            else if (c == u"bucket=empty") {
                buckets.configure(goodsId, 0.001, 1);
                buckets.bucket(goodsId)->tryAcquire();
            } else if (c == u"rabbit=open")
                rabbitBreaker.recordFailure();
            else if (c == u"backlog=full")
                orders.pending = 1000;
            else if (c == u"orders=none")
                noOrders = true;
            else if (c == u"redis=open")
                redisBreaker.recordFailure();
            else if (c == u"window=address")
                sale.schedule->addressWindowMs = 2500;
            else if (c == u"proxy=forwarded")
                request.forwardedFor = "198.51.100.9";
            else if (c.startsWith(u"script=")) {
                using R = redis::ReserveOutcome::Kind;
                const QString k = c.mid(7);
                step.answer = k == u"sold_out" ? R::SoldOut
                    : k == u"duplicate"        ? R::Duplicate
                    : k == u"too_frequent"     ? R::TooFrequent
                    : k == u"address"          ? R::AddressTooFrequent
                    : k == u"no_such_sale"     ? R::NoSuchSale
                    : k == u"error"            ? R::Error
                                               : R::Reserved;
            } else
                qFatal("unknown condition %s", qPrintable(c));
        }
        if (listed)
            catalog.replace({{goodsId, sale}});
        if (loaded)
            catalog.markLoaded();
    }

    BuyDesk desk(std::function<QByteArray(const QByteArray &, const QByteArray &)> resolver = {})
    {
        BuyDesk::Parts parts;
        parts.shopperAddress = std::move(resolver);
        parts.catalog = &catalog;
        parts.sessions = &sessions;
        parts.killSwitch = &killSwitch;
        parts.buckets = &buckets;
        parts.admission = &admission;
        parts.redisBreaker = &redisBreaker;
        parts.rabbitBreaker = &rabbitBreaker;
        parts.orders = noOrders ? nullptr : &orders;
        parts.metrics = &metrics;
        parts.buyWait = std::chrono::milliseconds(5);
        parts.maxPublishBacklog = 1000;
        return BuyDesk(parts);
    }
};

// Runs one buy through \a desk to its end (any bucket wait is run at once).
BuyOutcome buyWith(const BuyDesk &desk, World &world)
{
    std::optional<BuyOutcome> result;
    desk.buy(
        world.request, world.step,
        [](std::chrono::microseconds, std::function<void()> run) { run(); },
        [&result](const BuyOutcome &o) { result = o; });
    if (!result)
        qFatal("the desk did not answer");
    return *result;
}

BuyOutcome buyOnce(World &world)
{
    return buyWith(world.desk(), world);
}

metrics::Outcome metricOf(Kind kind)
{
    BuyOutcome o;
    o.kind = kind;
    return o.metric();
}

Kind kindNamed(const QString &name)
{
    for (int k = 0; k <= int(Kind::StockNotLoaded); ++k)
        if (name == QLatin1String(BuyOutcome::kindName(Kind(k))))
            return Kind(k);
    qFatal("no kind %s", qPrintable(name));
}
} // namespace

class tst_BuyDesk : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void outcomes_data()
    {
        QTest::addColumn<QStringList>("conditions");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("reserveCalls");
        QTest::addColumn<int>("metric");

        using metrics::Outcome;
        const auto row = [](const char *name, std::initializer_list<const char *> list,
                            const char *kind, int reserveCalls, Outcome metric) {
            QStringList conditions;
            for (const char *c : list)
                conditions.append(QString::fromLatin1(c));
            QTest::newRow(name) << conditions << QString::fromLatin1(kind) << reserveCalls
                                << int(metric);
        };
        // Each outcome on its own.
        row("reserved", {}, "queued", 1, Outcome::Queued);
        row("crowded", {"crowded"}, "crowded", 0, Outcome::Degraded);
        row("no token", {"auth=none"}, "unauthorized", 0, Outcome::Rejected);
        row("expired token", {"auth=expired"}, "unauthorized", 0, Outcome::Rejected);
        row("forged token", {"auth=forged"}, "unauthorized", 0, Outcome::Rejected);
        row("basic auth", {"auth=basic"}, "unauthorized", 0, Outcome::Rejected);
        row("unknown goods", {"goods=unknown"}, "no_sale", 0, Outcome::Rejected);
        row("draft goods", {"goods=draft"}, "no_sale", 0, Outcome::Rejected);
        row("catalog loading", {"goods=unknown", "catalog=loading"}, "catalog_loading", 0,
            Outcome::Degraded);
        row("listed while loading", {"catalog=loading"}, "queued", 1, Outcome::Queued);
        row("site switch", {"switch=site"}, "switched", 0, Outcome::Degraded);
        row("goods switch", {"switch=goods"}, "switched", 0, Outcome::Degraded);
        row("not started", {"time=early"}, "not_started", 0, Outcome::Rejected);
        row("ended", {"time=late"}, "ended", 0, Outcome::Rejected);
        row("forged path", {"path=forged"}, "wrong_path", 0, Outcome::Rejected);
        row("upper-case path", {"path=upper"}, "wrong_path", 0, Outcome::Rejected);
        row("short path", {"path=short"}, "wrong_path", 0, Outcome::Rejected);
        row("another shopper's path", {"path=other"}, "wrong_path", 0, Outcome::Rejected);
        row("sold-out mark", {"soldout=mark"}, "sold_out", 0, Outcome::SoldOut);
        row("bucket empty", {"bucket=empty"}, "rate_limited", 0, Outcome::RateLimited);
        row("rabbit breaker open", {"rabbit=open"}, "unavailable", 0, Outcome::Degraded);
        row("publisher backlog full", {"backlog=full"}, "unavailable", 0, Outcome::Degraded);
        row("no order queue", {"orders=none"}, "unavailable", 0, Outcome::Degraded);
        row("redis breaker open", {"redis=open"}, "unavailable", 0, Outcome::Degraded);
        row("script: sold out", {"script=sold_out"}, "sold_out", 1, Outcome::SoldOut);
        row("script: duplicate", {"script=duplicate"}, "duplicate", 1, Outcome::Duplicate);
        row("script: too frequent", {"script=too_frequent"}, "too_frequent", 1,
            Outcome::TooFrequent);
        row("script: no stock loaded", {"script=no_such_sale"}, "stock_not_loaded", 1,
            Outcome::Degraded);
        row("script: error", {"script=error"}, "unavailable", 1, Outcome::Degraded);
        row("script: address window", {"window=address", "script=address"}, "address_too_frequent",
            1, Outcome::TooFrequent);

        // The order of the checks: of two failing ones, the earlier answers.
        const QList<QPair<const char *, const char *>> order = {
            {"crowded", "crowded"},         {"auth=none", "unauthorized"},
            {"goods=unknown", "no_sale"},   {"switch=site", "switched"},
            {"time=early", "not_started"},  {"path=forged", "wrong_path"},
            {"soldout=mark", "sold_out"},   {"bucket=empty", "rate_limited"},
            {"rabbit=open", "unavailable"}, {"redis=open", "unavailable"},
        };
        for (int first = 0; first < order.size(); ++first)
            for (int later = first + 1; later < order.size(); ++later) {
                const QByteArray name =
                    QByteArray(order[first].first) + " before " + order[later].first;
                const QString kind = QString::fromLatin1(order[first].second);
                QTest::newRow(name.constData())
                    << QStringList {QString::fromLatin1(order[first].first),
                                    QString::fromLatin1(order[later].first)}
                    << kind << 0 << int(metricOf(kindNamed(kind)));
            }
    }

    void outcomes()
    {
        QFETCH(QStringList, conditions);
        QFETCH(QString, kind);
        QFETCH(int, reserveCalls);
        QFETCH(int, metric);

        World world(conditions);
        const BuyOutcome o = buyOnce(world);
        QCOMPARE(QLatin1String(BuyOutcome::kindName(o.kind)), kind);
        QCOMPARE(o.goodsId, goodsId);
        QCOMPARE(world.step.calls, reserveCalls);
        QCOMPARE(world.metrics.total(metrics::Outcome(metric)), 1);
        QCOMPARE(world.metrics.total(o.metric()), 1);
        // Only a reservation is handed to the order queue, and then exactly once.
        QCOMPARE(world.orders.published.size(), o.kind == Kind::Queued ? 1 : 0);
        // The admission gate's place is given back whatever the outcome.
        QCOMPARE(world.admission.inFlight(), 0);
    }

    void reservationCarriesWhatTheScriptSaid()
    {
        World world({});
        const BuyOutcome o = buyOnce(world);
        QCOMPARE(o.kind, Kind::Queued);
        QCOMPARE(o.reservation, QByteArray("7-3"));
        QCOMPARE(o.position, 3);
        QCOMPARE(world.orders.published.size(), 1);
        const amqp::Reservation &r = world.orders.published.first();
        QCOMPARE(r.id, QStringLiteral("7-3"));
        QCOMPARE(r.goodsId, goodsId);
        QCOMPARE(r.userId, userId);
        QCOMPARE(r.reservedAtMs, t0);
    }

    void addressWindowReachesTheScript()
    {
        // Without a window the script is told none, and the address is not even worked out.
        World plain({QStringLiteral("proxy=forwarded")});
        plain.request.clientAddress = "127.0.0.1";
        int asked = 0;
        const auto resolver = [&asked](const QByteArray &peer, const QByteArray &forwarded) {
            ++asked;
            return forwarded.isEmpty() ? peer : forwarded;
        };
        {
            BuyDesk desk = plain.desk(resolver);
            QCOMPARE(buyWith(desk, plain).kind, Kind::Queued);
        }
        QCOMPARE(plain.step.lastAddress.windowMs, 0);
        QCOMPARE(asked, 0);
        // With one, the shopper's address (as the resolver has it) and the sale's window.
        World windowed({QStringLiteral("window=address"), QStringLiteral("proxy=forwarded"),
                        QStringLiteral("script=address")});
        windowed.request.clientAddress = "127.0.0.1";
        BuyDesk desk = windowed.desk(resolver);
        const BuyOutcome o = buyWith(desk, windowed);
        QCOMPARE(asked, 1);
        QCOMPARE(windowed.step.lastAddress.windowMs, 2500);
        QCOMPARE(windowed.step.lastAddress.address, QByteArray("198.51.100.9"));
        QCOMPARE(o.kind, Kind::AddressTooFrequent);
        QCOMPARE(o.retryAfterSeconds, 3); // the window, rounded up
        QVERIFY(windowed.orders.published.isEmpty());
    }

    void soldOutScriptSetsTheLocalMark()
    {
        World world({QStringLiteral("script=sold_out")});
        QVERIFY(!world.catalog.isSoldOut(goodsId));
        buyOnce(world);
        QVERIFY(world.catalog.isSoldOut(goodsId));
        // The next buy never reaches Redis.
        QCOMPARE(buyOnce(world).kind, Kind::SoldOut);
        QCOMPARE(world.step.calls, 1);
    }

    void refusalsBeforeTheBucketTakeNoToken()
    {
        // burst 1: one refused buy must leave the token for the next shopper.
        World world({QStringLiteral("soldout=mark")});
        world.buckets.configure(goodsId, 0.001, 1);
        QCOMPARE(buyOnce(world).kind, Kind::SoldOut);
        world.catalog.setSoldOut(goodsId, false);
        QCOMPARE(buyOnce(world).kind, Kind::Queued);
        QCOMPARE(buyOnce(world).kind, Kind::RateLimited);
    }

    void switchCarriesTheOperatorsMessage()
    {
        World world({QStringLiteral("switch=goods")});
        const BuyOutcome o = buyOnce(world);
        QCOMPARE(o.message, QStringLiteral("Restocking."));
        QVERIFY(o.retryAfterSeconds >= 1);
    }

    void notStartedSaysWhen()
    {
        World world({QStringLiteral("time=early")});
        QCOMPARE(buyOnce(world).startAtMs, t0 - 1000);
    }

    void rateLimitedSuggestsTheWait()
    {
        World world({QStringLiteral("bucket=empty")});
        const BuyOutcome o = buyOnce(world);
        // 0.001 tokens a second: the next one is about 1000 s away.
        QVERIFY2(o.retryAfterSeconds >= 900 && o.retryAfterSeconds <= 1000,
                 qPrintable(QString::number(o.retryAfterSeconds)));
    }

    void admittedBuyHoldsItsPlaceUntilTheScriptAnswers()
    {
        World world({});
        const BuyDesk desk = world.desk();
        BuyDesk::Checked checked = desk.check(world.request);
        QVERIFY(std::holds_alternative<BuyAdmission>(checked));
        QCOMPARE(world.admission.inFlight(), 1);
        std::optional<BuyOutcome> result;
        desk.reserve(std::get<BuyAdmission>(checked), world.step,
                     [&result](const BuyOutcome &o) { result = o; });
        checked = BuyOutcome();
        QVERIFY(result);
        QCOMPARE(world.admission.inFlight(), 0);
    }

    void bucketWaitGoesThroughLater()
    {
        // A token a little in the future: the desk asks to run the reserve after the wait.
        World world({});
        world.buckets.configure(goodsId, 400, 1); // one token per 2.5 ms
        const BuyDesk desk = world.desk();
        QCOMPARE(buyOnce(world).kind, Kind::Queued);
        std::chrono::microseconds asked {0};
        std::function<void()> pending;
        world.request.authorization = "Bearer " + world.sessions.issue(userId + 1, t0).toLatin1();
        const auto sales = world.catalog.snapshot();
        world.request.path = sales->value(goodsId).pathSigner.path(userId + 1, goodsId).toLatin1();
        std::optional<BuyOutcome> result;
        desk.buy(
            world.request, world.step,
            [&](std::chrono::microseconds wait, std::function<void()> run) {
                asked = wait;
                pending = std::move(run);
            },
            [&result](const BuyOutcome &o) { result = o; });
        QVERIFY(!result);
        QVERIFY(asked.count() > 0 && asked <= std::chrono::milliseconds(5));
        QCOMPARE(world.step.calls, 1);
        pending();
        QVERIFY(result);
        QCOMPARE(result->kind, Kind::Queued);
        QCOMPARE(world.step.calls, 2);
    }

    void halfOpenRedisBreakerLetsOneProbeThrough()
    {
        World world({QStringLiteral("script=error")});
        CircuitBreaker quick(QStringLiteral("redis"), {0.5, 1, 10'000, 0});
        quick.recordFailure(); // open for 0 ms: half-open at once
        BuyDesk::Parts parts;
        parts.catalog = &world.catalog;
        parts.sessions = &world.sessions;
        parts.killSwitch = &world.killSwitch;
        parts.buckets = &world.buckets;
        parts.admission = &world.admission;
        parts.redisBreaker = &quick;
        parts.rabbitBreaker = &world.rabbitBreaker;
        parts.orders = &world.orders;
        parts.metrics = &world.metrics;
        const BuyDesk desk(parts);
        std::optional<BuyOutcome> result;
        desk.buy(
            world.request, world.step, [](auto, std::function<void()> run) { run(); },
            [&result](const BuyOutcome &o) { result = o; });
        QVERIFY(result);
        QCOMPARE(result->kind, Kind::Unavailable);
        QCOMPARE(world.step.calls, 1); // the probe went to Redis and failed...
        QVERIFY(quick.state() != CircuitBreaker::State::Closed); // ...so it is not closed
    }
};

QTEST_APPLESS_MAIN(tst_BuyDesk)
#include "tst_buydesk.moc"
