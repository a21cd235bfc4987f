#pragma once

#include "hmacsha256.h"

#include <QByteArray>
#include <QString>
#include <QStringView>

namespace flashsale::sale {

/// The secret buy path of one sale: an HMAC-SHA256 of user and goods under the sale's
/// random secret, so a path works only for the shopper it was given to and only once the
/// secret has been revealed.
class PathSigner
{
public:
    /// Signs with \a secret (the sale's random bytes).
    explicit PathSigner(QByteArray secret = {});

    /// 32 fresh random bytes from the system generator, for a newly scheduled sale.
    static QByteArray generateSecret();

    /// The path for \a userId buying \a goodsId: 32 lowercase hex characters.
    QString path(qint64 userId, qint64 goodsId) const;

    /// True when \a path is the one for \a userId and \a goodsId. Runs in the same time
    /// whatever the path, so a forger learns nothing from the timing.
    bool verify(qint64 userId, qint64 goodsId, QStringView path) const;
    /// The same for a path as the front read it (bytes).
    bool verify(qint64 userId, qint64 goodsId, std::string_view path) const;

    bool isNull() const { return m_secret.isEmpty(); }

private:
    /// The path's 32 hex characters.
    std::array<char, 32> hexMac(qint64 userId, qint64 goodsId) const;

    QByteArray m_secret;
    HmacSha256 m_hmac; ///< keyed with m_secret once
};

/// Compares two byte strings in time that depends only on their lengths.
bool constantTimeEquals(const QByteArray &a, const QByteArray &b);

} // namespace flashsale::sale
