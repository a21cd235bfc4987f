#pragma once

#include <QByteArray>
#include <QtGlobal>

#include <chrono>

namespace flashsale::sale {

/// One shopper's buy as a front read it, with nothing of the protocol left: the product,
/// the secret path segment, the bearer credential, who asked and when.
struct BuyRequest
{
    qint64 goodsId = 0; ///< the product of the URL
    QByteArray path; ///< the secret path segment of the URL, as sent
    QByteArray authorization; ///< the Authorization header's value ("Bearer <token>")
    QByteArray clientAddress; ///< the socket's peer
    QByteArray forwardedFor; ///< the X-Forwarded-For header, if any (see Parts::shopperAddress)
    qint64 nowMs = 0; ///< when the request arrived, ms since the epoch (server clock)
    /// When the request arrived on the steady clock: its answer's latency is counted from here.
    std::chrono::steady_clock::time_point arrivedAt = std::chrono::steady_clock::now();
};

} // namespace flashsale::sale
