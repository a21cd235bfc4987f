#include "salechallenge.h"

#include "pathsigner.h"

#include <QCryptographicHash>
#include <QList>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

namespace flashsale::sale {

namespace {
// "v1.<userId>.<goodsId>.<bits>.<expiresAtMs>.<random hex>" then ".<base64url MAC>".
constexpr QByteArrayView version = "v1";
constexpr int nonceBytes = 12;
constexpr qsizetype maxChallengeLength = 200;
constexpr qsizetype maxNonceLength = 20; // a decimal quint64
} // namespace

ChallengeSigner::ChallengeSigner(QByteArray key, qint64 lifetimeMs)
    : m_key(std::move(key))
    , m_lifetimeMs(lifetimeMs)
{ }

QByteArray ChallengeSigner::mac(const QByteArray &terms) const
{
    return QMessageAuthenticationCode::hash(terms, m_key, QCryptographicHash::Sha256)
        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

IssuedChallenge ChallengeSigner::issue(qint64 userId, qint64 goodsId, int bits, qint64 nowMs) const
{
    QByteArray random(nonceBytes, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(random.data()),
                                          nonceBytes / int(sizeof(quint32)));
    const qint64 expiresAt = nowMs + m_lifetimeMs;
    const QByteArray terms = version + '.' + QByteArray::number(userId) + '.'
        + QByteArray::number(goodsId) + '.' + QByteArray::number(bits) + '.'
        + QByteArray::number(expiresAt) + '.' + random.toHex();
    return {QString::fromLatin1(terms + '.' + mac(terms)), bits, expiresAt};
}

ChallengeVerdict ChallengeSigner::verify(QStringView challenge, QStringView nonce, qint64 userId,
                                         qint64 goodsId, int requiredBits, qint64 nowMs,
                                         qint64 *expiresAtMs) const
{
    if (challenge.size() > maxChallengeLength || nonce.isEmpty() || nonce.size() > maxNonceLength)
        return ChallengeVerdict::Failed;
    for (const QChar c : nonce) {
        if (c < u'0' || c > u'9')
            return ChallengeVerdict::Failed;
    }
    const QByteArray text = challenge.toLatin1();
    const qsizetype macAt = text.lastIndexOf('.');
    if (macAt <= 0)
        return ChallengeVerdict::Failed;
    const QByteArray terms = text.left(macAt);
    if (!constantTimeEquals(mac(terms), text.mid(macAt + 1)))
        return ChallengeVerdict::Failed;
    // Signed by us: the terms are ours and well formed.
    const QList<QByteArray> parts = terms.split('.');
    if (parts.size() != 6 || parts[0] != version)
        return ChallengeVerdict::Failed;
    const qint64 forUser = parts[1].toLongLong();
    const qint64 forGoods = parts[2].toLongLong();
    const int bits = parts[3].toInt();
    const qint64 expiresAt = parts[4].toLongLong();
    // A challenge issued before the operator raised the difficulty is too easy now.
    if (forUser != userId || forGoods != goodsId || bits < requiredBits || nowMs >= expiresAt)
        return ChallengeVerdict::Failed;
    const QByteArray digest = QCryptographicHash::hash(QByteArray(text + ':' + nonce.toLatin1()),
                                                       QCryptographicHash::Sha256);
    if (!hasLeadingZeroBits(digest, bits))
        return ChallengeVerdict::Failed;
    if (expiresAtMs)
        *expiresAtMs = expiresAt;
    return ChallengeVerdict::Solved;
}

bool ChallengeSigner::hasLeadingZeroBits(const QByteArray &digest, int bits)
{
    if (bits < 0 || bits > digest.size() * 8)
        return false;
    const int whole = bits / 8;
    for (int i = 0; i < whole; ++i) {
        if (digest[i] != 0)
            return false;
    }
    const int rest = bits % 8;
    return rest == 0 || (static_cast<unsigned char>(digest[whole]) >> (8 - rest)) == 0;
}

} // namespace flashsale::sale
