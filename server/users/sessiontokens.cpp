#include "sessiontokens.h"

#include "pathsigner.h"

#include <QList>

namespace flashsale::users {

namespace {
constexpr auto base64url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
}

SessionTokens::SessionTokens(QByteArray secret, qint64 lifetimeSeconds)
    : m_secret(std::move(secret))
    , m_hmac(m_secret)
    , m_lifetimeSeconds(lifetimeSeconds)
{ }

QByteArray SessionTokens::sign(const QByteArray &payload) const
{
    return m_hmac.macBytes(std::string_view(payload.constData(), size_t(payload.size())));
}

QString SessionTokens::issue(qint64 userId, qint64 nowMs) const
{
    const QByteArray payload = "v1:" + QByteArray::number(userId) + ':'
        + QByteArray::number(nowMs + m_lifetimeSeconds * 1000);
    return QString::fromLatin1(payload.toBase64(base64url) + '.'
                               + sign(payload).toBase64(base64url));
}

std::optional<Session> SessionTokens::verify(QStringView token, qint64 nowMs) const
{
    if (token.size() > 512)
        return std::nullopt;
    const qsizetype dot = token.indexOf(u'.');
    if (dot <= 0)
        return std::nullopt;
    const auto payload = QByteArray::fromBase64Encoding(token.left(dot).toLatin1(), base64url);
    const auto mac = QByteArray::fromBase64Encoding(token.mid(dot + 1).toLatin1(), base64url);
    if (!payload || !mac || !sale::constantTimeEquals(sign(payload.decoded), mac.decoded))
        return std::nullopt;
    // Signed by us: the payload is ours, but parse it carefully anyway.
    const QList<QByteArray> parts = payload.decoded.split(':');
    if (parts.size() != 3 || parts[0] != "v1")
        return std::nullopt;
    bool idOk = false;
    bool expiryOk = false;
    Session session {parts[1].toLongLong(&idOk), parts[2].toLongLong(&expiryOk)};
    if (!idOk || !expiryOk || session.userId <= 0 || session.expiresAtMs <= nowMs)
        return std::nullopt;
    return session;
}

std::optional<Session> SessionTokens::verifyHeader(const QByteArray &authorization,
                                                   qint64 nowMs) const
{
    static const QByteArray prefix = "Bearer ";
    if (!authorization.startsWith(prefix))
        return std::nullopt;
    return verify(QString::fromLatin1(authorization.mid(prefix.size()).trimmed()), nowMs);
}

std::optional<Session> SessionTokens::verifyHeader(std::string_view authorization,
                                                   qint64 nowMs) const
{
    return verifyHeader(
        QByteArray::fromRawData(authorization.data(), qsizetype(authorization.size())), nowMs);
}

} // namespace flashsale::users
