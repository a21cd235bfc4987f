#pragma once

#include "result.h"

#include <QObject>
#include <QString>

#include <functional>

namespace flashsale::redis {
class Redis;
}

namespace flashsale::users {

/// When one brake engages: past \a threshold attempts within \a windowMs, further attempts
/// wait \a firstHoldOffMs, doubling with each attempt past it, at most \a longestHoldOffMs.
struct BrakeLimits
{
    int threshold = 5; ///< attempts in the window before the brake holds off (0: no brake)
    qint64 windowMs = 15 * 60'000; ///< how far back attempts count (sliding)
    qint64 firstHoldOffMs = 1000; ///< the hold-off at the threshold
    qint64 longestHoldOffMs = 15 * 60'000; ///< the hold-off never grows past this
};

/// The three brakes of sign-in and sign-up.
struct SignInBrakeOptions
{
    BrakeLimits failuresPerUsername; ///< wrong passwords for one account
    BrakeLimits failuresPerAddress {50, 15 * 60'000, 1000,
                                    15 * 60'000}; ///< from one client address
    BrakeLimits signUpsPerAddress {20, 60 * 60'000, 60'000,
                                   60 * 60'000}; ///< accounts made from one address
};

/// The brake on password guessing and mass sign-ups (the design notes, ../shared/DESIGN.md beside
/// the repository: security), shared by every instance through Redis: each name (a username, a
/// client address) has a sliding window of attempts; past the threshold the name is held off for a
/// time that doubles with every further attempt. While held off even the right password is refused,
/// so the brake tells a guesser nothing. Every callback receives the milliseconds the caller must
/// wait (0: go ahead), or a failure when Redis could not be asked.
class SignInBrake
{
public:
    using Answer = std::function<void(const Result<qint64> &holdOffMs)>;

    /// Brakes in \a redis (which must outlive this object), apart for each \a site (the
    /// instances sharing one database, as for the heartbeat: test runs sharing a Redis).
    SignInBrake(redis::Redis *redis, SignInBrakeOptions options = {}, QString site = {});

    /// How long a sign-in as \a username from \a address must wait.
    void checkSignIn(const QString &username, const QString &address, QObject *context,
                     Answer done) const;
    /// Counts a wrong password; answers the hold-off now in force for the next attempt.
    void recordFailure(const QString &username, const QString &address, QObject *context,
                       Answer done) const;
    /// A right password: the username's count starts again (the address's does not).
    void recordSuccess(const QString &username, QObject *context, Answer done) const;
    /// How long a sign-up from \a address must wait.
    void checkSignUp(const QString &address, QObject *context, Answer done) const;
    /// Counts an account made from \a address.
    void recordSignUp(const QString &address, QObject *context, Answer done) const;

    const SignInBrakeOptions &options() const { return m_options; }

private:
    struct Name;
    void run(const Name &name, const QByteArray &op, const BrakeLimits &limits, QObject *context,
             Answer done) const;
    void both(const Name &first, const Name &second, const QByteArray &op,
              const BrakeLimits &firstLimits, const BrakeLimits &secondLimits, QObject *context,
              Answer done) const;

    redis::Redis *m_redis = nullptr; ///< where the counts live
    SignInBrakeOptions m_options; ///< thresholds, windows and hold-offs
    QByteArray m_site; ///< part of every key
};

} // namespace flashsale::users
