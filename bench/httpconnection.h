#pragma once

#include "shopper.h"

#include <llhttp.h>

#include <cstdint>
#include <string>
#include <sys/socket.h>

namespace flashsale::bench {

/// One keep-alive HTTP/1.1 client connection on a non-blocking socket, one request at a time,
/// the answer parsed by llhttp. The owner's epoll loop calls onEvents(); nothing blocks.
class HttpConnection
{
public:
    /// Where an exchange stands after an event.
    enum class Progress { Waiting, Answered, Failed };

    HttpConnection();
    ~HttpConnection();
    HttpConnection(const HttpConnection &) = delete;
    HttpConnection &operator=(const HttpConnection &) = delete;

    /// Starts connecting to \a address and registers with \a epollFd (edge-triggered, \a tag
    /// as the event's data). False when the socket cannot even be made.
    bool open(int epollFd, const sockaddr_storage &address, socklen_t length, void *tag);
    /// Sends \a request (a whole HTTP/1.1 request). The answer comes through onEvents().
    Progress send(std::string request);
    /// The socket is readable or writable (\a events from epoll).
    Progress onEvents(std::uint32_t events);
    /// Closes the socket; open() makes a new one.
    void close();

    bool isOpen() const { return m_fd >= 0; }
    /// True when another request may be sent on it (open, answer complete, keep-alive).
    bool reusable() const { return m_fd >= 0 && m_keepAlive; }
    /// The last answer (valid after Answered; status 0 after Failed).
    HttpAnswer &answer() { return m_answer; }
    /// The answer's error code (the JSON `error`), found while parsing.
    const std::string &errorCode() const { return m_error; }
    std::int64_t lastUsedUs = 0; ///< when its last exchange began or ended (idle and answer limits)
    /// True while a request is out and its answer is not complete.
    bool exchanging() const { return m_exchanging; }

private:
    Progress flush();
    void watchWritable(bool on);
    Progress readAvailable(std::uint32_t events);
    Progress fail();

    static int onHeaderField(llhttp_t *parser, const char *at, std::size_t length);
    static int onHeaderValue(llhttp_t *parser, const char *at, std::size_t length);
    static int onBody(llhttp_t *parser, const char *at, std::size_t length);
    static int onMessageComplete(llhttp_t *parser);

    int m_fd = -1; ///< the socket, -1 when closed
    int m_epoll = -1; ///< the loop it is registered with
    void *m_tag = nullptr; ///< its epoll data
    bool m_watchingOut = false; ///< EPOLLOUT is in its interest set
    bool m_connecting = false; ///< connect() in progress
    bool m_exchanging = false; ///< a request is out and its answer not complete
    bool m_complete = false; ///< llhttp saw the whole answer
    bool m_keepAlive = false; ///< the server keeps the connection after the answer
    bool m_inValue = false; ///< llhttp is in a header's value (a new name clears m_field)
    bool m_inRetryAfter = false; ///< the header being parsed is Retry-After
    std::string m_out; ///< request bytes not yet written
    std::size_t m_written = 0; ///< of m_out
    std::string m_field; ///< header name being parsed (names may come in pieces)
    std::string m_error; ///< error code of the answer, for classify()
    HttpAnswer m_answer; ///< the answer being parsed
    llhttp_t m_parser {};
    llhttp_settings_t m_settings {};
};

} // namespace flashsale::bench
