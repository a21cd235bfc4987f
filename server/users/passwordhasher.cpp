#include "passwordhasher.h"

#include "pathsigner.h"

#include <QRandomGenerator>
#include <QStringList>

#include <openssl/evp.h>

namespace flashsale::users {

namespace {
// OpenSSL's PBKDF2 keys its HMAC once and reuses the precomputed inner and outer states for
// every iteration; QPasswordDigestor re-keyed and allocated each time and was about five
// times slower. The derived bytes are the same (RFC 8018), so stored hashes stay valid.
QByteArray derive(const QString &password, const QByteArray &salt, int iterations)
{
    const QByteArray secret = password.toUtf8();
    QByteArray key(32, Qt::Uninitialized);
    const int ok = PKCS5_PBKDF2_HMAC(secret.constData(), int(secret.size()),
                                     reinterpret_cast<const unsigned char *>(salt.constData()),
                                     int(salt.size()), iterations, EVP_sha256(), int(key.size()),
                                     reinterpret_cast<unsigned char *>(key.data()));
    // Fails only on bad arguments or an out-of-memory OpenSSL; an empty key matches nothing.
    return ok == 1 ? key : QByteArray();
}
} // namespace

StoredPassword PasswordHasher::hash(const QString &password) const
{
    QByteArray salt(16, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(salt.data()), 4);
    const QByteArray key = derive(password, salt, m_iterations);
    return {QStringLiteral("pbkdf2-sha256$%1$%2")
                .arg(m_iterations)
                .arg(QString::fromLatin1(key.toBase64())),
            QString::fromLatin1(salt.toBase64())};
}

bool PasswordHasher::verify(const QString &password, const StoredPassword &stored) const
{
    const QStringList parts = stored.hash.split(u'$');
    if (parts.size() != 3 || parts[0] != u"pbkdf2-sha256")
        return false;
    bool ok = false;
    const int iterations = parts[1].toInt(&ok);
    if (!ok || iterations < 1 || iterations > 10'000'000)
        return false;
    const QByteArray expected = QByteArray::fromBase64(parts[2].toLatin1());
    const QByteArray salt = QByteArray::fromBase64(stored.salt.toLatin1());
    const QByteArray derived = derive(password, salt, iterations);
    return !derived.isEmpty() && sale::constantTimeEquals(derived, expected);
}

void PasswordHasher::spendVerifyTime(const QString &password) const
{
    [[maybe_unused]] const QByteArray wasted = derive(password, QByteArray(16, 'x'), m_iterations);
}

} // namespace flashsale::users
