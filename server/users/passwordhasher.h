#pragma once

#include <QByteArray>
#include <QString>

namespace flashsale::users {

/// A password as stored: the PBKDF2 hash (with its parameters) and the user's salt.
struct StoredPassword
{
    QString hash; ///< "pbkdf2-sha256$<iterations>$<base64 key>"
    QString salt; ///< base64 of 16 random bytes, one per user
};

/// PBKDF2-HMAC-SHA256 through OpenSSL, with a random salt per user. The
/// iteration count is stored with each hash, so raising it later keeps old ones valid.
class PasswordHasher
{
public:
    explicit PasswordHasher(int iterations = 100'000)
        : m_iterations(iterations)
    { }

    StoredPassword hash(const QString &password) const;
    /// True when \a password matches; the comparison is constant-time.
    bool verify(const QString &password, const StoredPassword &stored) const;
    /// Spends the time a verify would, for unknown users (so timing does not tell which
    /// usernames exist).
    void spendVerifyTime(const QString &password) const;

    int iterations() const { return m_iterations; }

private:
    int m_iterations = 100'000;
};

} // namespace flashsale::users
