#include "passwordhasher.h"

#include "pathsigner.h"

#include <QPasswordDigestor>
#include <QRandomGenerator>
#include <QStringList>

namespace flashsale::users {

namespace {
QByteArray derive(const QString &password, const QByteArray &salt, int iterations)
{
    return QPasswordDigestor::deriveKeyPbkdf2(QCryptographicHash::Sha256, password.toUtf8(), salt,
                                              iterations, 32);
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
    return sale::constantTimeEquals(derive(password, salt, iterations), expected);
}

void PasswordHasher::spendVerifyTime(const QString &password) const
{
    [[maybe_unused]] const QByteArray wasted = derive(password, QByteArray(16, 'x'), m_iterations);
}

} // namespace flashsale::users
