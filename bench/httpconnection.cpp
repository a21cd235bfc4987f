#include "httpconnection.h"

#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <strings.h>
#include <sys/epoll.h>
#include <unistd.h>

namespace flashsale::bench {

HttpConnection::HttpConnection()
{
    llhttp_settings_init(&m_settings);
    m_settings.on_header_field = &HttpConnection::onHeaderField;
    m_settings.on_header_value = &HttpConnection::onHeaderValue;
    m_settings.on_body = &HttpConnection::onBody;
    m_settings.on_message_complete = &HttpConnection::onMessageComplete;
}

HttpConnection::~HttpConnection()
{
    close();
}

bool HttpConnection::open(int epollFd, const sockaddr_storage &address, socklen_t length, void *tag)
{
    close();
    m_fd = ::socket(address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0)
        return false;
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    m_epoll = epollFd;
    m_tag = tag;
    // Writability is watched only while it matters (connecting, a partial write): a
    // connection's every ACK would otherwise wake the loop once more per request.
    m_watchingOut = true;
    epoll_event event {};
    event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    event.data.ptr = tag;
    if (::epoll_ctl(epollFd, EPOLL_CTL_ADD, m_fd, &event) != 0) {
        close();
        return false;
    }
    m_connecting = ::connect(m_fd, reinterpret_cast<const sockaddr *>(&address), length) != 0;
    if (m_connecting && errno != EINPROGRESS) {
        // Refused at once: the first send reports it as no answer.
        m_connecting = false;
        m_keepAlive = false;
        return true;
    }
    m_keepAlive = true;
    return true;
}

void HttpConnection::close()
{
    if (m_fd >= 0)
        ::close(m_fd); // also leaves the epoll set
    m_fd = -1;
    m_connecting = false;
    m_exchanging = false;
    m_keepAlive = false;
}

HttpConnection::Progress HttpConnection::fail()
{
    close();
    m_answer.status = 0;
    m_answer.retryAfterS = -1;
    m_answer.body.clear();
    m_error.clear();
    return Progress::Failed;
}

HttpConnection::Progress HttpConnection::send(std::string request)
{
    if (m_fd < 0 || !m_keepAlive)
        return fail();
    m_out = std::move(request);
    m_written = 0;
    m_exchanging = true;
    m_complete = false;
    m_answer.status = 0;
    m_answer.retryAfterS = -1;
    m_answer.body.clear();
    m_error.clear();
    m_field.clear();
    m_inValue = false;
    m_inRetryAfter = false;
    llhttp_init(&m_parser, HTTP_RESPONSE, &m_settings);
    m_parser.data = this;
    if (m_connecting)
        return Progress::Waiting; // written once the connection is made
    return flush();
}

void HttpConnection::watchWritable(bool on)
{
    if (on == m_watchingOut || m_fd < 0)
        return;
    m_watchingOut = on;
    epoll_event event {};
    event.events = EPOLLIN | EPOLLRDHUP | EPOLLET | (on ? EPOLLOUT : 0u);
    event.data.ptr = m_tag;
    ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, m_fd, &event);
}

HttpConnection::Progress HttpConnection::flush()
{
    while (m_written < m_out.size()) {
        const ssize_t n =
            ::send(m_fd, m_out.data() + m_written, m_out.size() - m_written, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                watchWritable(true);
                return Progress::Waiting;
            }
            if (errno == EINTR)
                continue;
            return fail();
        }
        m_written += std::size_t(n);
    }
    watchWritable(false);
    return Progress::Waiting;
}

HttpConnection::Progress HttpConnection::onEvents(std::uint32_t events)
{
    if (m_fd < 0)
        return Progress::Waiting;
    if (m_connecting && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
        int error = 0;
        socklen_t length = sizeof error;
        ::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0)
            return m_exchanging ? fail() : (close(), Progress::Waiting);
        m_connecting = false;
    }
    if (!m_exchanging) {
        // An idle connection that the server closes (or that errs) is dropped; the next
        // request opens a new one.
        if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR))
            close();
        return Progress::Waiting;
    }
    if (m_written < m_out.size() && flush() == Progress::Failed)
        return Progress::Failed;
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
        return readAvailable(events);
    return Progress::Waiting;
}

HttpConnection::Progress HttpConnection::readAvailable(std::uint32_t events)
{
    char buffer[16384];
    for (;;) {
        const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return Progress::Waiting;
            if (errno == EINTR)
                continue;
            return fail();
        }
        if (n == 0) {
            // The server closed: an answer ended by the close is complete, anything else lost.
            if (llhttp_finish(&m_parser) == HPE_OK && m_complete) {
                m_keepAlive = false;
                m_exchanging = false;
                close();
                return Progress::Answered;
            }
            return fail();
        }
        const llhttp_errno_t error = llhttp_execute(&m_parser, buffer, std::size_t(n));
        if (m_complete) {
            m_exchanging = false;
            m_keepAlive = m_keepAlive && llhttp_should_keep_alive(&m_parser);
            if (!m_keepAlive)
                close();
            return Progress::Answered;
        }
        if (error != HPE_OK)
            return fail();
        // Drained: edge-triggered epoll says when more comes (unless the peer closed too,
        // which is read as the 0 above).
        if (std::size_t(n) < sizeof buffer && !(events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)))
            return Progress::Waiting;
    }
}

int HttpConnection::onHeaderField(llhttp_t *parser, const char *at, std::size_t length)
{
    auto *self = static_cast<HttpConnection *>(parser->data);
    if (self->m_inValue) {
        // A new header begins.
        self->m_inValue = false;
        self->m_field.clear();
    }
    self->m_field.append(at, length);
    return 0;
}

int HttpConnection::onHeaderValue(llhttp_t *parser, const char *at, std::size_t length)
{
    auto *self = static_cast<HttpConnection *>(parser->data);
    if (!self->m_inValue) {
        self->m_inValue = true;
        self->m_inRetryAfter = ::strcasecmp(self->m_field.c_str(), "retry-after") == 0;
        if (self->m_inRetryAfter)
            self->m_answer.retryAfterS = 0;
    }
    if (self->m_inRetryAfter) {
        for (std::size_t i = 0; i < length; ++i)
            if (at[i] >= '0' && at[i] <= '9')
                self->m_answer.retryAfterS = self->m_answer.retryAfterS * 10 + (at[i] - '0');
    }
    return 0;
}

int HttpConnection::onBody(llhttp_t *parser, const char *at, std::size_t length)
{
    auto *self = static_cast<HttpConnection *>(parser->data);
    self->m_answer.body.append(at, length);
    return 0;
}

int HttpConnection::onMessageComplete(llhttp_t *parser)
{
    auto *self = static_cast<HttpConnection *>(parser->data);
    self->m_complete = true;
    self->m_answer.status = parser->status_code;
    if (self->m_answer.status >= 400)
        self->m_error = jsonString(self->m_answer.body, "error");
    return HPE_PAUSED; // one answer per request: anything after it is not ours
}

} // namespace flashsale::bench
