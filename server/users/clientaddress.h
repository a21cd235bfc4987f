#pragma once

#include <QByteArrayView>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace flashsale::users {

/// The proxies whose `X-Forwarded-For` is believed: addresses or subnets
/// (`--trusted-proxies 127.0.0.1,10.0.0.0/8`).
class TrustedProxies
{
public:
    TrustedProxies() = default;
    /// Parses a comma-separated list; empty when \a text is, nothing on a bad entry (\a
    /// error, when given, then names it).
    static std::optional<TrustedProxies> parse(const QString &text, QString *error = nullptr);

    bool contains(const QHostAddress &peer) const;
    bool isEmpty() const { return m_subnets.isEmpty(); }

private:
    QList<QPair<QHostAddress, int>> m_subnets; ///< (network, prefix length)
};

/// The shopper's address for per-address brakes and windows: the socket's peer, or the
/// last hop of \a forwardedFor when the peer is a trusted proxy (that hop is what the
/// proxy itself saw; earlier hops are the client's word and worth nothing).
QString clientAddress(const QHostAddress &peer, QByteArrayView forwardedFor,
                      const TrustedProxies &trusted);

} // namespace flashsale::users
