#include "pathsigner.h"

#include <QRandomGenerator>

#include <cstdio>

namespace flashsale::sale {

namespace {
constexpr int pathBytes = 16; // 128 bits of the MAC: unguessable, short enough for a URL
}

PathSigner::PathSigner(QByteArray secret)
    : m_secret(std::move(secret))
    , m_hmac(m_secret)
{ }

QByteArray PathSigner::generateSecret()
{
    QByteArray secret(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(secret.data()),
                                          secret.size() / int(sizeof(quint32)));
    return secret;
}

std::array<char, 32> PathSigner::hexMac(qint64 userId, qint64 goodsId) const
{
    char message[48];
    const int length =
        std::snprintf(message, sizeof message, "%lld:%lld", (long long)userId, (long long)goodsId);
    const HmacSha256::Digest mac = m_hmac.mac(std::string_view(message, size_t(length)));
    static constexpr char digits[] = "0123456789abcdef";
    std::array<char, 32> hex {};
    for (int i = 0; i < pathBytes; ++i) {
        hex[2 * i] = digits[mac[i] >> 4];
        hex[2 * i + 1] = digits[mac[i] & 0xf];
    }
    return hex;
}

QString PathSigner::path(qint64 userId, qint64 goodsId) const
{
    const std::array<char, 32> hex = hexMac(userId, goodsId);
    return QString::fromLatin1(hex.data(), qsizetype(hex.size()));
}

bool PathSigner::verify(qint64 userId, qint64 goodsId, QStringView path) const
{
    if (path.size() != 2 * pathBytes)
        return false;
    const QByteArray latin = path.toLatin1();
    return verify(userId, goodsId, std::string_view(latin.constData(), size_t(latin.size())));
}

bool PathSigner::verify(qint64 userId, qint64 goodsId, std::string_view path) const
{
    if (m_secret.isEmpty() || path.size() != 2 * pathBytes)
        return false;
    // The exact lowercase hex form only: one path per shopper and product, no variants.
    const std::array<char, 32> hex = hexMac(userId, goodsId);
    unsigned char diff = 0;
    for (size_t i = 0; i < hex.size(); ++i)
        diff |= static_cast<unsigned char>(hex[i] ^ path[i]);
    return diff == 0;
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
