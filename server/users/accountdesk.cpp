#include "accountdesk.h"

#include "passwordhasher.h"
#include "sessiontokens.h"
#include "sqlexecutor.h"
#include "userstore.h"

namespace flashsale::users {

AccountDesk::AccountDesk(db::SqlExecutor *sql, const PasswordHasher *passwords,
                         const SessionTokens *sessions)
    : m_sql(sql)
    , m_passwords(passwords)
    , m_sessions(sessions)
{ }

void AccountDesk::signUp(const QString &username, const QString &password,
                         std::function<void(const SignUp &)> done) const
{
    const PasswordHasher *passwords = m_passwords;
    // The future is dropped: the work reports through done, on the database thread.
    (void)m_sql->run([passwords, username, password, done = std::move(done)](QSqlDatabase &db) {
        SignUp outcome;
        const StoredPassword stored = passwords->hash(password);
        const auto inserted = userstore::insert(db, username, stored);
        if (!inserted) {
            outcome.error = inserted.error();
        } else if (!inserted.value()) {
            outcome.kind = SignUp::Kind::Taken;
        } else {
            outcome.kind = SignUp::Kind::Created;
            outcome.userId = *inserted.value();
        }
        done(outcome);
        return 0;
    });
}

void AccountDesk::signIn(const QString &username, const QString &password, qint64 nowMs,
                         std::function<void(const SignIn &)> done) const
{
    const PasswordHasher *passwords = m_passwords;
    const SessionTokens *sessions = m_sessions;
    (void)m_sql->run(
        [passwords, sessions, username, password, nowMs, done = std::move(done)](QSqlDatabase &db) {
            SignIn outcome;
            const auto found = userstore::find(db, username);
            if (!found) {
                outcome.error = found.error();
                done(outcome);
                return 0;
            }
            outcome.kind = SignIn::Kind::BadCredentials;
            if (!found.value()) {
                passwords->spendVerifyTime(password);
            } else if (passwords->verify(password, found.value()->password)) {
                outcome.kind = SignIn::Kind::SignedIn;
                outcome.userId = found.value()->id;
                outcome.token = sessions->issue(outcome.userId, nowMs);
                outcome.expiresAtMs = nowMs + sessions->lifetimeSeconds() * 1000;
            }
            done(outcome);
            return 0;
        });
}

} // namespace flashsale::users
