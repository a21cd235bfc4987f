#pragma once

#include <chrono>
#include <cstddef>

namespace flashsale::front {

/// Every limit and timeout of the shopper front, in one place. Past a size limit the
/// request is answered with its status and a JSON error, then the connection is closed;
/// past a timeout a request in progress gets 408, an idle connection is just closed.
struct FrontLimits
{
    /// The request line's target (path and query); longer: 414.
    std::size_t maxUrlBytes = 8 * 1024;
    /// All header names and values of one request together; more: 431.
    std::size_t maxHeaderBytes = 16 * 1024;
    /// A request's body (Content-Length or chunked, decoded); larger: 413.
    std::size_t maxBodyBytes = 64 * 1024;
    /// Requests read from one connection and not yet answered; past it the front stops
    /// reading that connection until answers have gone out (pipelining's back-pressure).
    std::size_t maxPipelined = 64;
    /// Bytes answered but not yet taken by a slow reader; past it reading stops.
    std::size_t maxUnsentBytes = 1024 * 1024;
    /// Open connections per front thread; past it a new one gets 503 and is closed.
    std::size_t maxConnectionsPerThread = 10'000;
    /// From a request's first byte to the end of its headers.
    std::chrono::milliseconds headerTimeout {10'000};
    /// From the end of the headers to the end of the body.
    std::chrono::milliseconds bodyTimeout {30'000};
    /// A keep-alive connection with nothing in flight is closed after this.
    std::chrono::milliseconds idleTimeout {60'000};
    /// After an answer that closes (an error), how long the rest of what the client sends
    /// is read and dropped, so the answer is not lost to a reset (nginx's lingering close).
    std::chrono::milliseconds lingerTimeout {2'000};
    /// On shutdown, how long requests in flight may take to be answered.
    std::chrono::milliseconds drainTimeout {10'000};
};

} // namespace flashsale::front
