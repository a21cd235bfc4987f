#include "redis.h"
#include "redistestsupport.h"
#include "signinbrake.h"
#include "testservices.h"

#include <QRandomGenerator>
#include <QTest>

using namespace flashsale;
using namespace flashsale::users;
using flashsale::test::awaitResult;
using flashsale::test::TestServices;

namespace {
std::unique_ptr<redis::Redis> connectTo(const QString &url)
{
    auto opened = redis::Redis::open(url);
    if (!opened)
        qFatal("%s", qPrintable(opened.error()));
    std::unique_ptr<redis::Redis> client = std::move(opened).value();
    if (!QTest::qWaitFor([&] { return client->isConnected(); }, 10'000))
        qFatal("redis %s did not connect", qPrintable(url));
    return client;
}

QString fresh(const char *what)
{
    return u"%1-%2"_qs.arg(QLatin1String(what)).arg(QRandomGenerator::global()->generate64());
}

/// Waits for one brake answer; -1 when it failed or never came.
template<typename Call>
qint64 holdOff(Call call)
{
    const auto answer = awaitResult<Result<qint64>>(call);
    return answer && *answer ? answer->value() : -1;
}
} // namespace

/// The sign-in brake against real Redis, two "instances" (clients) sharing each count.
class tst_SignInBrake : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        QFETCH_GLOBAL(bool, cluster);
        const QString url = cluster ? TestServices::instance().redisClusterUrl()
                                    : TestServices::instance().redisUrl();
        m_first = connectTo(url);
        m_second = connectTo(url);
    }

    void initTestCase_data()
    {
        QTest::addColumn<bool>("cluster");
        QTest::newRow("standalone") << false;
        QTest::newRow("cluster") << true;
    }

    void failuresPastTheThresholdHoldOffLongerEachTime()
    {
        const SignInBrake one(m_first.get(), limits(3, 100));
        const SignInBrake two(m_second.get(), limits(3, 100));
        const QString user = fresh("user"), address = fresh("addr");
        QCOMPARE(fail(one, user, address), 0);
        QCOMPARE(fail(two, user, address), 0); // the other instance counts the same account
        QCOMPARE(fail(one, user, address), 100); // the threshold: held off
        QCOMPARE(fail(two, user, address), 200); // and longer with each attempt past it
        QCOMPARE(fail(one, user, address), 400);
        // Both instances see the hold-off, for any password: the caller asks before checking it.
        const qint64 seen =
            holdOff([&](QObject *c, auto done) { two.checkSignIn(user, address, c, done); });
        QVERIFY2(seen > 0 && seen <= 400, qPrintable(QString::number(seen)));
        // The hold-off is capped.
        for (int i = 0; i < 10; ++i)
            fail(one, user, address);
        QCOMPARE(fail(one, user, address), 5000);
    }

    void aSuccessResetsTheAccountsCount()
    {
        const SignInBrake one(m_first.get(), limits(2, 60'000));
        const SignInBrake two(m_second.get(), limits(2, 60'000));
        const QString user = fresh("user"), address = fresh("addr");
        QCOMPARE(fail(one, user, address), 0);
        QCOMPARE(holdOff([&](QObject *c, auto done) { two.recordSuccess(user, c, done); }), 0);
        // Counting starts again: one more failure is again below the threshold.
        QCOMPARE(fail(two, user, address), 0);
        QCOMPARE(check(one, user, address), 0);
        QCOMPARE(fail(one, user, address), 60'000);
        QVERIFY(check(two, user, address) > 0);
    }

    void oneAddressGuessingManyAccountsIsBraked()
    {
        SignInBrakeOptions options = limits(100, 1000);
        options.failuresPerAddress = {4, 60'000, 1000, 60'000};
        const SignInBrake one(m_first.get(), options);
        const SignInBrake two(m_second.get(), options);
        const QString address = fresh("addr");
        for (int i = 0; i < 3; ++i)
            QCOMPARE(fail(i % 2 ? one : two, fresh("user"), address), 0);
        QCOMPARE(fail(one, fresh("user"), address), 1000);
        // A fresh account from that address is held off; the same account elsewhere is not.
        const QString other = fresh("user");
        QVERIFY(check(two, other, address) > 0);
        QCOMPARE(check(two, other, fresh("addr")), 0);
    }

    void signUpsPerAddressAreLimited()
    {
        SignInBrakeOptions options;
        options.signUpsPerAddress = {3, 60'000, 30'000, 60'000};
        const SignInBrake one(m_first.get(), options);
        const SignInBrake two(m_second.get(), options);
        const QString address = fresh("addr");
        QCOMPARE(holdOff([&](QObject *c, auto done) { one.checkSignUp(address, c, done); }), 0);
        QCOMPARE(holdOff([&](QObject *c, auto done) { one.recordSignUp(address, c, done); }), 0);
        QCOMPARE(holdOff([&](QObject *c, auto done) { two.recordSignUp(address, c, done); }), 0);
        QCOMPARE(holdOff([&](QObject *c, auto done) { one.recordSignUp(address, c, done); }),
                 30'000);
        QVERIFY(holdOff([&](QObject *c, auto done) { two.checkSignUp(address, c, done); }) > 0);
        QCOMPARE(holdOff([&](QObject *c, auto done) { two.checkSignUp(fresh("addr"), c, done); }),
                 0);
    }

private:
    static SignInBrakeOptions limits(int threshold, qint64 firstHoldOffMs)
    {
        SignInBrakeOptions options;
        options.failuresPerUsername = {threshold, 60'000, firstHoldOffMs, 5000};
        if (firstHoldOffMs > 5000)
            options.failuresPerUsername.longestHoldOffMs = firstHoldOffMs;
        options.failuresPerAddress = {1000, 60'000, 1000, 60'000};
        return options;
    }
    static qint64 fail(const SignInBrake &brake, const QString &user, const QString &address)
    {
        return holdOff([&](QObject *c, auto done) { brake.recordFailure(user, address, c, done); });
    }
    static qint64 check(const SignInBrake &brake, const QString &user, const QString &address)
    {
        return holdOff([&](QObject *c, auto done) { brake.checkSignIn(user, address, c, done); });
    }

    std::unique_ptr<redis::Redis> m_first; ///< one instance's client
    std::unique_ptr<redis::Redis> m_second; ///< another's
};

QTEST_GUILESS_MAIN(tst_SignInBrake)
#include "tst_signinbrake.moc"
