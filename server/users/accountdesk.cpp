#include "accountdesk.h"

#include "passwordhasher.h"
#include "result.h"
#include "sessiontokens.h"
#include "signinbrake.h"
#include "sqlexecutor.h"
#include "threadhandoff.h"
#include "userstore.h"

#include <QLoggingCategory>
#include <QObject>
#include <QThreadPool>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace flashsale::users {

Q_LOGGING_CATEGORY(lcAccounts, "flashsale.users.accounts")

namespace {

// Runs \a step on the brake's thread (at once when already there): the brake's Redis
// client lives on that thread only.
template<typename Step>
void onBrakeThread(const AccountDesk::Brake &brake, Step step)
{
    QMetaObject::invokeMethod(brake.thread, std::move(step));
}

// A hashing thread yields the cores to the buy path: under contention the kernel gives a
// thread of nice 10 about a tenth of a nice-0 one's share, and all of a core when it is idle.
// (QThread's priorities do nothing under Linux's default scheduler.) Once per pool thread.
void yieldToTheBuyPath()
{
    thread_local const bool lowered = [] {
        constexpr int niceness = 10;
        return setpriority(PRIO_PROCESS, pid_t(syscall(SYS_gettid)), niceness) == 0;
    }();
    Q_UNUSED(lowered);
}

// Runs \a work on the hashing pool (whose queue ThreadSanitizer cannot see: the hand-off
// is made visible to it).
template<typename Work>
void onHashingPool(QThreadPool *pool, Work work)
{
    handoff::releaseTo(pool);
    pool->start([pool, work = std::move(work)] {
        handoff::acquireFrom(pool);
        yieldToTheBuyPath();
        work();
    });
}

// A brake that cannot be asked (Redis down) lets the attempt through: sign-in must not
// depend on Redis, and the password check itself stays as slow as ever.
qint64 holdOffOrNone(const Result<qint64> &answer)
{
    if (!answer) {
        qCWarning(lcAccounts).noquote() << "sign-in brake not asked:" << answer.error();
        return 0;
    }
    return answer.value();
}

void ignoreHoldOff(const Result<qint64> &answer)
{
    holdOffOrNone(answer);
}

// Asks the brake through \a ask(brake, answer) on its thread; goes on with \a next(done)
// unless the brake holds, when \a done gets a Braked outcome with the hold-off.
template<typename Outcome, typename Ask, typename Next>
void unlessBraked(const AccountDesk::Brake &brake, Ask ask, Next next,
                  std::function<void(const Outcome &)> done)
{
    onBrakeThread(brake, [brake, ask, next, done = std::move(done)] {
        ask(brake, [next, done](const Result<qint64> &held) {
            if (const qint64 ms = holdOffOrNone(held); ms > 0) {
                Outcome braked;
                braked.kind = Outcome::Kind::Braked;
                braked.holdOffMs = ms;
                return done(braked);
            }
            next(done);
        });
    });
}

} // namespace

AccountDesk::AccountDesk(db::SqlExecutor *sql, QThreadPool *hashing,
                         const PasswordHasher *passwords, const SessionTokens *sessions)
    : m_sql(sql)
    , m_hashing(hashing)
    , m_passwords(passwords)
    , m_sessions(sessions)
{ }

void AccountDesk::signUp(const Attempt &attempt, Brake brake,
                         std::function<void(const SignUp &)> done) const
{
    if (!brake.brake)
        return createAccount(attempt, brake, std::move(done));
    // The desk is a few pointers to services that outlive every call: copied, not referred to.
    unlessBraked<SignUp>(
        brake,
        [address = attempt.address](const Brake &b, SignInBrake::Answer answer) {
            b.brake->checkSignUp(address, b.thread, std::move(answer));
        },
        [desk = *this, attempt, brake](std::function<void(const SignUp &)> next) {
            desk.createAccount(attempt, brake, std::move(next));
        },
        std::move(done));
}

void AccountDesk::createAccount(const Attempt &attempt, Brake brake,
                                std::function<void(const SignUp &)> done) const
{
    const PasswordHasher *passwords = m_passwords;
    db::SqlExecutor *sql = m_sql;
    onHashingPool(m_hashing, [passwords, sql, attempt, brake, done = std::move(done)] {
        const StoredPassword stored = passwords->hash(attempt.password);
        // The future is dropped: the work reports through done, on the database thread.
        (void)sql->run([attempt, stored, brake, done](QSqlDatabase &db) {
            SignUp outcome;
            const auto inserted = userstore::insert(db, attempt.username, stored);
            if (!inserted) {
                outcome.error = inserted.error();
            } else if (!inserted.value()) {
                outcome.kind = SignUp::Kind::Taken;
            } else {
                outcome.kind = SignUp::Kind::Created;
                outcome.userId = *inserted.value();
                if (brake.brake)
                    onBrakeThread(brake, [attempt, brake] {
                        brake.brake->recordSignUp(attempt.address, brake.thread, ignoreHoldOff);
                    });
            }
            done(outcome);
            return 0;
        });
    });
}

void AccountDesk::signIn(const Attempt &attempt, Brake brake,
                         std::function<void(const SignIn &)> done) const
{
    if (!brake.brake)
        return checkPassword(attempt, brake, std::move(done));
    unlessBraked<SignIn>(
        brake,
        [attempt](const Brake &b, SignInBrake::Answer answer) {
            b.brake->checkSignIn(attempt.username, attempt.address, b.thread, std::move(answer));
        },
        [desk = *this, attempt, brake](std::function<void(const SignIn &)> next) {
            desk.checkPassword(attempt, brake, std::move(next));
        },
        std::move(done));
}

void AccountDesk::checkPassword(const Attempt &attempt, Brake brake,
                                std::function<void(const SignIn &)> done) const
{
    const PasswordHasher *passwords = m_passwords;
    const SessionTokens *sessions = m_sessions;
    QThreadPool *hashing = m_hashing;
    (void)m_sql->run([=](QSqlDatabase &db) {
        const auto found = userstore::find(db, attempt.username);
        if (!found) {
            SignIn failed;
            failed.error = found.error();
            done(failed);
            return 0;
        }
        const std::optional<UserRecord> user = found.value();
        onHashingPool(hashing, [=] {
            SignIn outcome;
            outcome.kind = SignIn::Kind::BadCredentials;
            if (!user) {
                passwords->spendVerifyTime(attempt.password);
            } else if (passwords->verify(attempt.password, user->password)) {
                outcome.kind = SignIn::Kind::SignedIn;
                outcome.userId = user->id;
                outcome.token = sessions->issue(outcome.userId, attempt.nowMs);
                outcome.expiresAtMs = attempt.nowMs + sessions->lifetimeSeconds() * 1000;
            }
            if (!brake.brake)
                return done(outcome);
            if (outcome.kind == SignIn::Kind::SignedIn) {
                onBrakeThread(brake, [attempt, brake] {
                    brake.brake->recordSuccess(attempt.username, brake.thread, ignoreHoldOff);
                });
                return done(outcome);
            }
            // Answered once counted, so that the next attempt sees the count.
            onBrakeThread(brake, [attempt, brake, outcome, done] {
                brake.brake->recordFailure(attempt.username, attempt.address, brake.thread,
                                           [outcome, done](const Result<qint64> &r) {
                                               holdOffOrNone(r);
                                               done(outcome);
                                           });
            });
        });
        return 0;
    });
}

} // namespace flashsale::users
