// SHA256_Init and friends are deprecated in OpenSSL 3 in favour of EVP, whose per-call
// digest fetch and context allocation are what this class exists to avoid; the low-level
// functions remain part of OpenSSL 3's API.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "hmacsha256.h"

#include <cstring>

namespace flashsale::sale {

namespace {
constexpr int blockBytes = SHA256_CBLOCK; // 64
}

HmacSha256::HmacSha256(const QByteArray &key)
{
    std::array<std::uint8_t, blockBytes> block {};
    if (key.size() > blockBytes) {
        SHA256(reinterpret_cast<const unsigned char *>(key.constData()), size_t(key.size()),
               block.data());
    } else if (!key.isEmpty()) {
        std::memcpy(block.data(), key.constData(), size_t(key.size()));
    }
    std::array<std::uint8_t, blockBytes> pad {};
    for (int i = 0; i < blockBytes; ++i)
        pad[i] = block[i] ^ 0x36;
    SHA256_Init(&m_inner);
    SHA256_Update(&m_inner, pad.data(), pad.size());
    for (int i = 0; i < blockBytes; ++i)
        pad[i] = block[i] ^ 0x5c;
    SHA256_Init(&m_outer);
    SHA256_Update(&m_outer, pad.data(), pad.size());
}

HmacSha256::Digest HmacSha256::mac(std::string_view message) const
{
    Digest inner {};
    SHA256_CTX ctx = m_inner;
    SHA256_Update(&ctx, message.data(), message.size());
    SHA256_Final(inner.data(), &ctx);
    Digest out {};
    ctx = m_outer;
    SHA256_Update(&ctx, inner.data(), inner.size());
    SHA256_Final(out.data(), &ctx);
    return out;
}

QByteArray HmacSha256::macBytes(std::string_view message) const
{
    const Digest d = mac(message);
    return QByteArray(reinterpret_cast<const char *>(d.data()), qsizetype(d.size()));
}

} // namespace flashsale::sale
