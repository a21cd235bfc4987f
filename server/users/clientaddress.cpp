#include "clientaddress.h"

namespace flashsale::users {

namespace {
QString plain(const QHostAddress &address)
{
    // An IPv4 peer on a dual-stack socket shows as ::ffff:a.b.c.d: one name per address.
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4).toString() : address.toString();
}
} // namespace

std::optional<TrustedProxies> TrustedProxies::parse(const QString &text, QString *error)
{
    TrustedProxies proxies;
    for (const QString &entry : text.split(u',', Qt::SkipEmptyParts)) {
        const QString item = entry.trimmed();
        QPair<QHostAddress, int> subnet = QHostAddress::parseSubnet(item);
        if (subnet.first.isNull()) {
            const QHostAddress single(item);
            if (single.isNull()) {
                if (error)
                    *error = u"not an address or subnet: "_qs + item;
                return std::nullopt;
            }
            subnet = {single, single.protocol() == QAbstractSocket::IPv6Protocol ? 128 : 32};
        }
        proxies.m_subnets.append(subnet);
    }
    return proxies;
}

bool TrustedProxies::contains(const QHostAddress &peer) const
{
    bool isV4 = false;
    const quint32 v4 = peer.toIPv4Address(&isV4);
    const QHostAddress address = isV4 ? QHostAddress(v4) : peer;
    for (const auto &subnet : m_subnets) {
        if (address.isInSubnet(subnet))
            return true;
    }
    return false;
}

QString clientAddress(const QHostAddress &peer, QByteArrayView forwardedFor,
                      const TrustedProxies &trusted)
{
    if (forwardedFor.isEmpty() || !trusted.contains(peer))
        return plain(peer);
    const QByteArray hops = forwardedFor.toByteArray();
    const QByteArray last = hops.mid(hops.lastIndexOf(',') + 1).trimmed();
    const QHostAddress hop(QString::fromLatin1(last));
    // A proxy that passes garbage is still the one we can hold responsible.
    return hop.isNull() ? plain(peer) : plain(hop);
}

} // namespace flashsale::users
