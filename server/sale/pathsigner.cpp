#include "pathsigner.h"

#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

namespace flashsale::sale {

namespace {
constexpr int pathBytes = 16; // 128 bits of the MAC: unguessable, short enough for a URL
}

PathSigner::PathSigner(QByteArray secret)
    : m_secret(std::move(secret))
{ }

QByteArray PathSigner::generateSecret()
{
    QByteArray secret(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(secret.data()),
                                          secret.size() / int(sizeof(quint32)));
    return secret;
}

QByteArray PathSigner::mac(qint64 userId, qint64 goodsId) const
{
    const QByteArray message = QByteArray::number(userId) + ':' + QByteArray::number(goodsId);
    return QMessageAuthenticationCode::hash(message, m_secret, QCryptographicHash::Sha256)
        .left(pathBytes);
}

QString PathSigner::path(qint64 userId, qint64 goodsId) const
{
    return QString::fromLatin1(mac(userId, goodsId).toHex());
}

bool PathSigner::verify(qint64 userId, qint64 goodsId, QStringView path) const
{
    if (m_secret.isEmpty() || path.size() != 2 * pathBytes)
        return false;
    // The exact lowercase hex form only: one path per shopper and product, no variants.
    return constantTimeEquals(mac(userId, goodsId).toHex(), path.toLatin1());
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

} // namespace flashsale::sale
