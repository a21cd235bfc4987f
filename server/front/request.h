#pragma once

#include <QByteArray>
#include <QtGlobal>

#include <chrono>
#include <string_view>

namespace flashsale::front {

/// One HTTP request as the front parsed it (llhttp), with what the routes read.
struct Request
{
    int method = 0; ///< llhttp_method_t (HTTP_GET, HTTP_POST, ...)
    QByteArray target; ///< the request target as sent: path and query
    QByteArray authorization; ///< the Authorization header, if any
    QByteArray body; ///< the body, decoded from chunks if it came chunked
    QByteArray clientAddress; ///< the peer's address, for logs
    QByteArray
        forwardedFor; ///< the X-Forwarded-For header, if any (believed from trusted proxies only)
    qint64 receivedAtMs = 0; ///< when the request was complete, ms since the epoch
    /// When its first byte was read, on the steady clock (latencies are counted from here).
    std::chrono::steady_clock::time_point arrivedAt;

    /// The target without its query.
    std::string_view path() const
    {
        const std::string_view t(target.constData(), size_t(target.size()));
        return t.substr(0, t.find('?'));
    }
    /// The method's name ("GET").
    const char *methodName() const;
};

} // namespace flashsale::front
