#pragma once

#include "hmacsha256.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace flashsale::users {

/// Who a valid session token speaks for, and until when.
struct Session
{
    qint64 userId = 0;
    qint64 expiresAtMs = 0; ///< milliseconds since the epoch
};

/// Shoppers' session tokens: `base64url(v1:userId:expiresAtMs).base64url(HMAC-SHA256)`
/// under a secret every API instance shares. Stateless: any instance checks any token.
class SessionTokens
{
public:
    /// \a secret signs the tokens; \a lifetimeSeconds is how long one stays valid.
    SessionTokens(QByteArray secret, qint64 lifetimeSeconds);

    /// A token for \a userId, valid from \a nowMs for the lifetime.
    QString issue(qint64 userId, qint64 nowMs) const;
    /// The session if \a token is well-formed, signed with our secret and not expired.
    std::optional<Session> verify(QStringView token, qint64 nowMs) const;

    /// The session from an `Authorization: Bearer <token>` header value.
    std::optional<Session> verifyHeader(const QByteArray &authorization, qint64 nowMs) const;
    /// The same over the header's bytes as the front read them.
    std::optional<Session> verifyHeader(std::string_view authorization, qint64 nowMs) const;

    qint64 lifetimeSeconds() const { return m_lifetimeSeconds; }

private:
    QByteArray sign(const QByteArray &payload) const;

    QByteArray m_secret;
    sale::HmacSha256 m_hmac; ///< keyed with m_secret once
    qint64 m_lifetimeSeconds = 0;
};

} // namespace flashsale::users
