#pragma once

#include <QByteArray>

#include <openssl/sha.h>

#include <array>
#include <cstdint>
#include <string_view>

namespace flashsale::sale {

/// HMAC-SHA256 under one key, keyed once: the SHA-256 states after key ^ ipad and
/// key ^ opad are made in the constructor and copied per MAC, so a MAC of a short message
/// costs two compressions (QMessageAuthenticationCode re-fetched the digest and re-keyed on
/// every call, which dominated a buy request's profile). Copyable; const use is
/// thread-safe.
class HmacSha256
{
public:
    using Digest = std::array<std::uint8_t, SHA256_DIGEST_LENGTH>;

    explicit HmacSha256(const QByteArray &key = {});

    /// The MAC of \a message.
    Digest mac(std::string_view message) const;
    /// The same as bytes.
    QByteArray macBytes(std::string_view message) const;

private:
    SHA256_CTX m_inner {}; ///< after the key block xor ipad
    SHA256_CTX m_outer {}; ///< after the key block xor opad
};

} // namespace flashsale::sale
