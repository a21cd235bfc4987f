#pragma once

#include <QString>

#include <functional>

namespace flashsale::db {
class SqlExecutor;
}

namespace flashsale::users {

class PasswordHasher;
class SessionTokens;

/// Shoppers' accounts as a service: sign-up and sign-in (PBKDF2 on a database thread, where
/// the slow hash does not hold up an event loop). Knows nothing of HTTP. Thread-safe; the
/// callbacks run once, on a database thread.
class AccountDesk
{
public:
    /// What a sign-up came to.
    struct SignUp
    {
        enum class Kind { Created, Taken, Failed };
        Kind kind = Kind::Failed; ///< see Kind
        qint64 userId = 0; ///< Created: the new user's id
        QString error; ///< Failed: the database's word
    };
    /// What a sign-in came to.
    struct SignIn
    {
        enum class Kind { SignedIn, BadCredentials, Failed };
        Kind kind = Kind::Failed; ///< see Kind
        qint64 userId = 0; ///< SignedIn: who
        QString token; ///< SignedIn: the session token
        qint64 expiresAtMs = 0; ///< SignedIn: until when the token is valid
        QString error; ///< Failed: the database's word
    };

    AccountDesk(db::SqlExecutor *sql, const PasswordHasher *passwords,
                const SessionTokens *sessions);

    /// Creates the account \a username (validated by the caller).
    void signUp(const QString &username, const QString &password,
                std::function<void(const SignUp &)> done) const;
    /// Checks the password and issues a session token valid from \a nowMs. An unknown name
    /// costs the same time as a wrong password.
    void signIn(const QString &username, const QString &password, qint64 nowMs,
                std::function<void(const SignIn &)> done) const;

private:
    db::SqlExecutor *m_sql = nullptr;
    const PasswordHasher *m_passwords = nullptr;
    const SessionTokens *m_sessions = nullptr;
};

} // namespace flashsale::users
