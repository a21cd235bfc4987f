#pragma once

#include <QString>

#include <functional>

class QObject;
class QThreadPool;

namespace flashsale::db {
class SqlExecutor;
}

namespace flashsale::users {

class PasswordHasher;
class SessionTokens;
class SignInBrake;

/// Shoppers' accounts as a service: sign-up and sign-in behind the brake on password
/// guessing (DESIGN.md, security). Knows nothing of HTTP. The steps, in order:
///   1. the brake (Redis): while it holds, nothing else is done, so the right password gets
///      the same answer as a wrong one and a guesser's attempt costs no hash;
///   2. the database (a SQL thread) and PBKDF2 (the hashing pool, sized to the cores, so a
///      sign-in rush neither holds the SQL threads nor any thread that serves HTTP);
///   3. the brake again: a failure is counted before it is answered (the next attempt sees
///      it), a success resets the username's count, a new account counts for its address.
/// Thread-safe; each call's callback runs once, on one of those threads.
class AccountDesk
{
public:
    /// One sign-up or sign-in as the shopper sent it.
    struct Attempt
    {
        QString username; ///< validated by the caller
        QString password;
        QString address; ///< the client's address, for the brake
        qint64 nowMs = 0; ///< when it arrived (a session token is valid from then)
    };
    /// The brake to ask, and the object on whose thread it must be asked (its Redis
    /// client's). A null brake: none (no Redis).
    struct Brake
    {
        const SignInBrake *brake = nullptr;
        QObject *thread = nullptr;
    };
    /// What a sign-up came to.
    struct SignUp
    {
        enum class Kind { Created, Taken, Braked, Failed };
        Kind kind = Kind::Failed; ///< see Kind
        qint64 userId = 0; ///< Created: the new user's id
        qint64 holdOffMs = 0; ///< Braked: how long the address must wait
        QString error; ///< Failed: the database's word
    };
    /// What a sign-in came to.
    struct SignIn
    {
        enum class Kind { SignedIn, BadCredentials, Braked, Failed };
        Kind kind = Kind::Failed; ///< see Kind
        qint64 userId = 0; ///< SignedIn: who
        QString token; ///< SignedIn: the session token
        qint64 expiresAtMs = 0; ///< SignedIn: until when the token is valid
        qint64 holdOffMs = 0; ///< Braked: how long the username or address must wait
        QString error; ///< Failed: the database's word
    };

    /// \a hashing runs PBKDF2; it, \a sql, \a passwords and \a sessions outlive the desk.
    AccountDesk(db::SqlExecutor *sql, QThreadPool *hashing, const PasswordHasher *passwords,
                const SessionTokens *sessions);

    /// Creates the account \a attempt names.
    void signUp(const Attempt &attempt, Brake brake,
                std::function<void(const SignUp &)> done) const;
    /// Checks the password and issues a session token. An unknown name costs the same time
    /// as a wrong password.
    void signIn(const Attempt &attempt, Brake brake,
                std::function<void(const SignIn &)> done) const;

private:
    void createAccount(const Attempt &attempt, Brake brake,
                       std::function<void(const SignUp &)> done) const;
    void checkPassword(const Attempt &attempt, Brake brake,
                       std::function<void(const SignIn &)> done) const;

    db::SqlExecutor *m_sql = nullptr;
    QThreadPool *m_hashing = nullptr;
    const PasswordHasher *m_passwords = nullptr;
    const SessionTokens *m_sessions = nullptr;
};

} // namespace flashsale::users
