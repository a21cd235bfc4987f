#include "accountdesk.h"
#include "database.h"
#include "databaseurl.h"
#include "migrator.h"
#include "passwordhasher.h"
#include "redis.h"
#include "sessiontokens.h"
#include "signinbrake.h"
#include "sqlexecutor.h"
#include "testservices.h"

#include <QMutex>
#include <QRandomGenerator>
#include <QSemaphore>
#include <QSqlQuery>
#include <QTest>
#include <QThreadPool>

#include <optional>

using namespace flashsale;
using namespace flashsale::users;
using flashsale::test::TestServices;

namespace {

QString fresh(const char *what)
{
    return u"%1%2"_qs.arg(QLatin1String(what)).arg(QRandomGenerator::global()->bounded(1u << 30));
}

/// One outcome, set from whichever thread the desk answers on.
template<typename Outcome>
struct Awaited
{
    QMutex mutex;
    std::optional<Outcome> outcome;
    QThread *thread = nullptr; ///< where the answer came from

    std::function<void(const Outcome &)> callback()
    {
        return [this](const Outcome &o) {
            QMutexLocker lock(&mutex);
            outcome = o;
            thread = QThread::currentThread();
        };
    }
    bool arrived()
    {
        QMutexLocker lock(&mutex);
        return outcome.has_value();
    }
    /// Waits (running this thread's events: the brake's Redis replies) for the answer.
    Outcome wait()
    {
        if (!QTest::qWaitFor([this] { return arrived(); }, 20'000))
            qFatal("the account desk never answered");
        QMutexLocker lock(&mutex);
        return *outcome;
    }
};

} // namespace

/// The account desk against a real database and a real Redis: the order of its steps (the
/// brake before the hash, the count before the answer), and PBKDF2 on its own pool.
class tst_AccountDesk : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<db::SqlExecutor> m_sql;
    QThreadPool m_hashing;
    QThread *m_hashingThread = nullptr;
    PasswordHasher m_passwords {1000};
    SessionTokens m_sessions {QByteArrayLiteral("tst_accountdesk secret"), 3600};
    std::unique_ptr<redis::Redis> m_redis;
    std::unique_ptr<SignInBrake> m_brake;
    std::unique_ptr<AccountDesk> m_desk;

    AccountDesk::Brake brake() { return {m_brake.get(), this}; }

    AccountDesk::SignUp signUp(const QString &user, const QString &password, const QString &address,
                               AccountDesk::Brake withBrake)
    {
        Awaited<AccountDesk::SignUp> answer;
        m_desk->signUp({user, password, address, QDateTime::currentMSecsSinceEpoch()}, withBrake,
                       answer.callback());
        return answer.wait();
    }
    AccountDesk::SignIn signIn(const QString &user, const QString &password, const QString &address,
                               QThread **answeredOn = nullptr)
    {
        Awaited<AccountDesk::SignIn> answer;
        m_desk->signIn({user, password, address, QDateTime::currentMSecsSinceEpoch()}, brake(),
                       answer.callback());
        const AccountDesk::SignIn outcome = answer.wait();
        if (answeredOn)
            *answeredOn = answer.thread;
        return outcome;
    }
    /// A new account (no brake on sign-ups); returns its username.
    QString account(const QString &password)
    {
        const QString user = fresh("shopper");
        const auto created = signUp(user, password, fresh("10.0.0."), {});
        if (created.kind != AccountDesk::SignUp::Kind::Created)
            qFatal("sign-up of %s failed: %s", qPrintable(user), qPrintable(created.error));
        return user;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString url = TestServices::instance().createDatabase();
        {
            const auto opened = db::openDatabase(db::DatabaseUrl::parse(url).value(),
                                                 QStringLiteral("tst_accountdesk_migrate"));
            QVERIFY2(opened, qPrintable(opened ? QString() : opened.error()));
            QSqlDatabase database = opened.value();
            const Result<int> applied = db::Migrator(database).migrate();
            QVERIFY2(applied, qPrintable(applied ? QString() : applied.error()));
        }
        QSqlDatabase::removeDatabase(QStringLiteral("tst_accountdesk_migrate"));
        m_sql = std::make_unique<db::SqlExecutor>(db::DatabaseUrl::parse(url).value(), 2);
        // One hashing thread that never expires: the thread every hash runs on is known.
        m_hashing.setMaxThreadCount(1);
        m_hashing.setExpiryTimeout(-1);
        // (Not waitForDone(): it ends the pool's threads.)
        QSemaphore started;
        m_hashing.start([this, &started] {
            m_hashingThread = QThread::currentThread();
            started.release();
        });
        started.acquire();
        QVERIFY(m_hashingThread);

        auto opened = redis::Redis::open(TestServices::instance().redisUrl());
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error()));
        m_redis = std::move(opened).value();
        QTRY_VERIFY(m_redis->isConnected());
        SignInBrakeOptions limits;
        limits.failuresPerUsername = {3, 60'000, 100, 60'000};
        limits.failuresPerAddress = {1000, 60'000, 100, 60'000};
        limits.signUpsPerAddress = {2, 60'000, 100, 60'000};
        m_brake = std::make_unique<SignInBrake>(m_redis.get(), limits, fresh("site"));
        m_desk = std::make_unique<AccountDesk>(m_sql.get(), &m_hashing, &m_passwords, &m_sessions);
    }

    void cleanupTestCase()
    {
        m_hashing.waitForDone(-1);
        m_sql.reset();
    }

    void signUpThenSignIn()
    {
        using Up = AccountDesk::SignUp::Kind;
        using In = AccountDesk::SignIn::Kind;
        const QString user = fresh("shopper");
        const auto created = signUp(user, u"correct horse"_qs, fresh("10.1.0."), brake());
        QCOMPARE(created.kind, Up::Created);
        QVERIFY(created.userId > 0);
        QCOMPARE(signUp(user, u"another one"_qs, fresh("10.1.0."), brake()).kind, Up::Taken);

        QThread *answeredOn = nullptr;
        const auto in = signIn(user, u"correct horse"_qs, fresh("10.2.0."), &answeredOn);
        QCOMPARE(in.kind, In::SignedIn);
        QCOMPARE(in.userId, created.userId);
        const auto session = m_sessions.verify(in.token, QDateTime::currentMSecsSinceEpoch());
        QVERIFY(session);
        QCOMPARE(session->userId, created.userId);
        // The password was checked on the hashing pool, not on a database thread.
        QVERIFY(answeredOn == m_hashingThread);
        QCOMPARE(signIn(user, u"wrong horse"_qs, fresh("10.2.0.")).kind, In::BadCredentials);
        QCOMPARE(signIn(fresh("nobody"), u"any password"_qs, fresh("10.2.0.")).kind,
                 In::BadCredentials);
    }

    void theBrakeHoldsEvenTheRightPassword()
    {
        using In = AccountDesk::SignIn::Kind;
        const QString user = account(u"right password"_qs);
        const QString address = fresh("10.3.0.");
        for (int i = 0; i < 2; ++i)
            QCOMPARE(signIn(user, u"wrong password"_qs, address).kind, In::BadCredentials);
        // The third failure is counted before it is answered: the brake engages at once.
        QCOMPARE(signIn(user, u"wrong password"_qs, address).kind, In::BadCredentials);
        const auto braked = signIn(user, u"right password"_qs, address);
        QCOMPARE(braked.kind, In::Braked);
        QVERIFY2(braked.holdOffMs > 0 && braked.holdOffMs <= 100,
                 qPrintable(QString::number(braked.holdOffMs)));
        QVERIFY(braked.token.isEmpty());
        // Once the hold-off is over the right password goes through.
        AccountDesk::SignIn after;
        QVERIFY(QTest::qWaitFor(
            [&] {
                after = signIn(user, u"right password"_qs, address);
                return after.kind != In::Braked;
            },
            5000));
        QCOMPARE(after.kind, In::SignedIn);
    }

    void aSuccessResetsTheUsernamesCount()
    {
        using In = AccountDesk::SignIn::Kind;
        const QString user = account(u"right password"_qs);
        const QString address = fresh("10.4.0.");
        for (int i = 0; i < 2; ++i)
            QCOMPARE(signIn(user, u"wrong password"_qs, address).kind, In::BadCredentials);
        QCOMPARE(signIn(user, u"right password"_qs, address).kind, In::SignedIn);
        // The count starts again: two more failures stay under the threshold of three.
        for (int i = 0; i < 2; ++i)
            QCOMPARE(signIn(user, u"wrong password"_qs, address).kind, In::BadCredentials);
        QCOMPARE(signIn(user, u"right password"_qs, address).kind, In::SignedIn);
    }

    void signUpsPerAddressAreLimited()
    {
        using Up = AccountDesk::SignUp::Kind;
        const QString address = fresh("10.5.0.");
        QCOMPARE(signUp(fresh("a"), u"password one"_qs, address, brake()).kind, Up::Created);
        QCOMPARE(signUp(fresh("b"), u"password two"_qs, address, brake()).kind, Up::Created);
        // The count of a new account reaches Redis after its answer: wait for it to land.
        AccountDesk::SignUp third;
        QVERIFY(QTest::qWaitFor(
            [&] {
                third = signUp(fresh("c"), u"password three"_qs, address, brake());
                return third.kind != Up::Created;
            },
            5000));
        QCOMPARE(third.kind, Up::Braked);
        QVERIFY(third.holdOffMs > 0);
        // Another address is not braked.
        QCOMPARE(signUp(fresh("d"), u"password four"_qs, fresh("10.6.0."), brake()).kind,
                 Up::Created);
    }

    void queuedHashesLeaveTheDatabaseThreadsFree()
    {
        using In = AccountDesk::SignIn::Kind;
        const QString user = account(u"right password"_qs);
        // The one hashing thread is held: sign-ins queue for it.
        QSemaphore hold;
        m_hashing.start([&hold] { hold.acquire(); });
        std::array<Awaited<AccountDesk::SignIn>, 4> answers;
        for (auto &answer : answers)
            m_desk->signIn(
                {user, u"right password"_qs, fresh("10.7.0."), QDateTime::currentMSecsSinceEpoch()},
                {}, answer.callback());
        // More sign-ins than SQL threads wait for a hash, and the database still answers.
        QFuture<int> query = m_sql->run([](QSqlDatabase &db) {
            QSqlQuery q(db);
            return q.exec(u"SELECT 1"_qs) && q.next() ? q.value(0).toInt() : -1;
        });
        QVERIFY(QTest::qWaitFor([&] { return query.isFinished(); }, 10'000));
        QCOMPARE(query.result(), 1);
        for (auto &answer : answers)
            QVERIFY(!answer.arrived());
        hold.release();
        for (auto &answer : answers)
            QCOMPARE(answer.wait().kind, In::SignedIn);
    }
};

QTEST_GUILESS_MAIN(tst_AccountDesk)
#include "tst_accountdesk.moc"
