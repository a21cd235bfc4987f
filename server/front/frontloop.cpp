#include "frontloop.h"

#include <QDateTime>
#include <QLoggingCategory>

#include <llhttp.h>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <deque>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include <vector>

Q_LOGGING_CATEGORY(lcFront, "flashsale.front")

namespace flashsale::front {

namespace {

constexpr std::uint64_t listenerTag = 1;
constexpr std::uint64_t mailboxTag = 2;
constexpr int maxIovecs = 64;
constexpr std::size_t readChunk = 64 * 1024;

qint64 nowMs()
{
    timespec ts {};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    return qint64(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

// The answers the front itself gives (the request never reached a handler): built once.
const Answer &frontError(int status)
{
    static const Answer badRequest = Answer::error(
        400, QStringLiteral("bad_request"), QStringLiteral("That is not an HTTP request we read."));
    static const Answer timeout = Answer::error(
        408, QStringLiteral("timeout"), QStringLiteral("The request took too long to arrive."));
    static const Answer tooLarge =
        Answer::error(413, QStringLiteral("too_large"),
                      QStringLiteral("The request body is larger than this API accepts."));
    static const Answer urlTooLong = Answer::error(
        414, QStringLiteral("uri_too_long"), QStringLiteral("The request's address is too long."));
    static const Answer headersTooLarge =
        Answer::error(431, QStringLiteral("headers_too_large"),
                      QStringLiteral("The request's headers are larger than this API accepts."));
    static const Answer busy = Answer::error(
        503, QStringLiteral("degraded"),
        QStringLiteral("So many shoppers right now! Please try again in a second."), 1);
    static const Answer internal = Answer::error(
        500, QStringLiteral("internal"), QStringLiteral("Something went wrong on our side."));
    switch (status) {
    case 408:
        return timeout;
    case 413:
        return tooLarge;
    case 414:
        return urlTooLong;
    case 431:
        return headersTooLarge;
    case 503:
        return busy;
    case 500:
        return internal;
    default:
        return badRequest;
    }
}

const QByteArray keepAliveEnd = QByteArrayLiteral("\r\n");
const QByteArray keepAlive10End = QByteArrayLiteral("Connection: keep-alive\r\n\r\n");
const QByteArray closeEnd = QByteArrayLiteral("Connection: close\r\n\r\n");
const QByteArray continueLine = QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n");

bool equalsNoCase(const QByteArray &a, const char *b)
{
    return a.compare(QByteArrayView(b), Qt::CaseInsensitive) == 0;
}

QByteArray peerAddress(int fd)
{
    sockaddr_storage sa {};
    socklen_t length = sizeof sa;
    if (::getpeername(fd, reinterpret_cast<sockaddr *>(&sa), &length) != 0)
        return QByteArrayLiteral("?");
    char text[INET6_ADDRSTRLEN] = {};
    if (sa.ss_family == AF_INET6)
        ::inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6 *>(&sa)->sin6_addr, text, sizeof text);
    else if (sa.ss_family == AF_INET)
        ::inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in *>(&sa)->sin_addr, text, sizeof text);
    else
        return QByteArrayLiteral("local");
    return QByteArray(text);
}

} // namespace

const char *Request::methodName() const
{
    return llhttp_method_name(llhttp_method_t(method));
}

/// One accepted connection: its parser, the request being read, the answers waiting for
/// their turn, the bytes not yet written.
struct Connection
{
    enum class Phase {
        Idle, ///< between requests (keep-alive): the idle timeout runs
        Headers, ///< a request has begun: the header timeout runs
        Body, ///< headers read: the body timeout runs
        Lingering, ///< answered with an error: reading and dropping until EOF or the linger
    };
    /// An answer's place in the order of the requests.
    struct Slot
    {
        bool ready = false; ///< the answer is in
        bool close = false; ///< the connection closes after it
        bool http10KeepAlive = false; ///< HTTP/1.0 with Connection: keep-alive
        Answer answer;
    };

    FrontLoop *loop = nullptr;
    int fd = -1;
    std::uint64_t id = 0;
    QByteArray address;
    llhttp_t parser {};
    Phase phase = Phase::Idle;
    qint64 phaseSinceMs = 0; ///< when the current phase began
    qint64 lastActivityMs = 0; ///< last byte read or written

    // The request being read.
    Request current;
    QByteArray field; ///< the header name being read
    QByteArray value; ///< its value
    std::size_t headerBytes = 0;
    bool expectContinue = false;
    int refusal = 0; ///< a limit's status (413, 414, 431) found inside a callback

    // Answers in request order: slots[0] is request firstSequence.
    std::deque<Slot> slots;
    std::uint64_t firstSequence = 0;
    std::uint64_t nextSequence = 0;
    bool stopParsing = false; ///< a request that closes the connection was read

    // Bytes to write: out[0] from outOffset on, then the rest.
    std::vector<QByteArray> out;
    std::size_t outOffset = 0;
    std::size_t unsentBytes = 0;
    bool closeAfterFlush = false; ///< the last answer closes the connection
    bool lingerAfterFlush = false; ///< ... with a lingering close (an error answer)
    bool wantWrite = false; ///< EPOLLOUT is on
    bool readingPaused = false; ///< EPOLLIN is off (back-pressure)
    QByteArray unparsed; ///< bytes read but not parsed while parsing was paused
    bool parserPaused = false;
    bool closed = false;

    static int onMessageBegin(llhttp_t *p);
    static int onUrl(llhttp_t *p, const char *at, size_t length);
    static int onHeaderField(llhttp_t *p, const char *at, size_t length);
    static int onHeaderValue(llhttp_t *p, const char *at, size_t length);
    static int onHeaderValueComplete(llhttp_t *p);
    static int onHeadersComplete(llhttp_t *p);
    static int onBody(llhttp_t *p, const char *at, size_t length);
    static int onMessageComplete(llhttp_t *p);

    static const llhttp_settings_t &settings()
    {
        static const llhttp_settings_t s = [] {
            llhttp_settings_t s;
            llhttp_settings_init(&s);
            s.on_message_begin = &Connection::onMessageBegin;
            s.on_url = &Connection::onUrl;
            s.on_header_field = &Connection::onHeaderField;
            s.on_header_value = &Connection::onHeaderValue;
            s.on_header_value_complete = &Connection::onHeaderValueComplete;
            s.on_headers_complete = &Connection::onHeadersComplete;
            s.on_body = &Connection::onBody;
            s.on_message_complete = &Connection::onMessageComplete;
            return s;
        }();
        return s;
    }

    const FrontLimits &limits() const { return loop->m_limits; }

    void feed(const char *data, std::size_t length);
    void refuse(int status);
    void queue(const QByteArray &bytes);
    void flushReady();
    void write();
    void updateInterest();
    bool pipelineFull() const
    {
        return slots.size() >= limits().maxPipelined || unsentBytes >= limits().maxUnsentBytes;
    }
    void resumeIfRoom();
    bool isQuiet() const
    {
        return phase == Phase::Idle && slots.empty() && out.empty() && unparsed.isEmpty();
    }
};

int Connection::onMessageBegin(llhttp_t *p)
{
    auto *c = static_cast<Connection *>(p->data);
    c->phase = Phase::Headers;
    c->phaseSinceMs = nowMs();
    c->current = Request();
    c->current.clientAddress = c->address;
    c->current.arrivedAt = std::chrono::steady_clock::now();
    c->field.clear();
    c->value.clear();
    c->headerBytes = 0;
    c->expectContinue = false;
    return 0;
}

int Connection::onUrl(llhttp_t *p, const char *at, size_t length)
{
    auto *c = static_cast<Connection *>(p->data);
    if (std::size_t(c->current.target.size()) + length > c->limits().maxUrlBytes) {
        c->refusal = 414;
        return -1;
    }
    c->current.target.append(at, qsizetype(length));
    return 0;
}

int Connection::onHeaderField(llhttp_t *p, const char *at, size_t length)
{
    auto *c = static_cast<Connection *>(p->data);
    c->headerBytes += length;
    if (c->headerBytes > c->limits().maxHeaderBytes) {
        c->refusal = 431;
        return -1;
    }
    c->field.append(at, qsizetype(length));
    return 0;
}

int Connection::onHeaderValue(llhttp_t *p, const char *at, size_t length)
{
    auto *c = static_cast<Connection *>(p->data);
    c->headerBytes += length;
    if (c->headerBytes > c->limits().maxHeaderBytes) {
        c->refusal = 431;
        return -1;
    }
    c->value.append(at, qsizetype(length));
    return 0;
}

int Connection::onHeaderValueComplete(llhttp_t *p)
{
    auto *c = static_cast<Connection *>(p->data);
    if (equalsNoCase(c->field, "authorization"))
        c->current.authorization = c->value.trimmed();
    else if (equalsNoCase(c->field, "x-forwarded-for"))
        c->current.forwardedFor = c->value.trimmed();
    else if (equalsNoCase(c->field, "expect"))
        c->expectContinue = equalsNoCase(c->value.trimmed(), "100-continue");
    c->field.clear();
    c->value.clear();
    return 0;
}

int Connection::onHeadersComplete(llhttp_t *p)
{
    auto *c = static_cast<Connection *>(p->data);
    c->phase = Phase::Body;
    c->phaseSinceMs = nowMs();
    c->current.method = p->method;
    // A declared body over the limit is refused before a byte of it is read.
    if ((p->flags & F_CONTENT_LENGTH) && p->content_length > c->limits().maxBodyBytes) {
        c->refusal = 413;
        return -1;
    }
    // The client waits for this before it sends the body; only when no earlier answer is
    // still to come (it would go out before them).
    if (c->expectContinue && c->slots.empty() && c->out.empty()
        && ((p->flags & F_CONTENT_LENGTH) || (p->flags & F_CHUNKED))) {
        c->queue(continueLine);
        c->write();
    }
    return 0;
}

int Connection::onBody(llhttp_t *p, const char *at, size_t length)
{
    auto *c = static_cast<Connection *>(p->data);
    if (std::size_t(c->current.body.size()) + length > c->limits().maxBodyBytes) {
        c->refusal = 413;
        return -1;
    }
    c->current.body.append(at, qsizetype(length));
    return 0;
}

int Connection::onMessageComplete(llhttp_t *p)
{
    auto *c = static_cast<Connection *>(p->data);
    FrontLoop *loop = c->loop;
    const qint64 now = nowMs();
    c->phase = Phase::Idle;
    c->phaseSinceMs = now;
    c->lastActivityMs = now;
    Slot slot;
    slot.close = !llhttp_should_keep_alive(p) || loop->m_draining || p->upgrade;
    slot.http10KeepAlive = !slot.close && p->http_major == 1 && p->http_minor == 0;
    c->slots.push_back(std::move(slot));
    const std::uint64_t sequence = c->nextSequence++;
    if (c->slots.back().close)
        c->stopParsing = true;
    c->current.receivedAtMs = now;
    loop->m_inFlight.fetch_add(1, std::memory_order_relaxed);
    loop->m_handler->handle(std::move(c->current), Reply(loop, c->id, sequence));
    c->current = Request();
    // Nothing more is read from a connection that closes after this request, and the
    // parser waits while too many answers are owed (pipelining's back-pressure).
    if (c->stopParsing || c->pipelineFull())
        return HPE_PAUSED;
    return 0;
}

void Connection::feed(const char *data, std::size_t length)
{
    if (phase == Phase::Lingering || stopParsing)
        return; // after an error or a closing request: dropped
    if (parserPaused) {
        unparsed.append(data, qsizetype(length));
        return;
    }
    const llhttp_errno_t err = llhttp_execute(&parser, data, length);
    if (err == HPE_OK || closed)
        return;
    if (err == HPE_PAUSED) {
        if (stopParsing)
            return;
        const char *pos = llhttp_get_error_pos(&parser);
        parserPaused = true;
        if (pos && pos < data + length)
            unparsed.append(pos, qsizetype(data + length - pos));
        return;
    }
    if (err == HPE_PAUSED_UPGRADE) {
        stopParsing = true; // answered, then closed: no protocol switch here
        return;
    }
    if (refusal == 0)
        qCDebug(lcFront).noquote() << "bad request from" << address << ":" << llhttp_errno_name(err)
                                   << llhttp_get_error_reason(&parser);
    refuse(refusal ? refusal : 400);
}

void Connection::refuse(int status)
{
    // The answer goes after those owed for earlier requests; then a lingering close.
    if (closed)
        return;
    Slot slot;
    slot.ready = true;
    slot.close = true;
    slot.answer = frontError(status);
    slots.push_back(std::move(slot));
    nextSequence++;
    stopParsing = true;
    lingerAfterFlush = true;
    phase = Phase::Lingering;
    phaseSinceMs = nowMs();
    unparsed.clear();
    parserPaused = false;
    flushReady();
}

void Connection::queue(const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return;
    unsentBytes += std::size_t(bytes.size());
    out.push_back(bytes);
}

void Connection::flushReady()
{
    while (!slots.empty() && slots.front().ready && !closeAfterFlush) {
        Slot slot = std::move(slots.front());
        slots.pop_front();
        ++firstSequence;
        queue(slot.answer.head());
        queue(loop->m_dateLine);
        queue(slot.close ? closeEnd : slot.http10KeepAlive ? keepAlive10End : keepAliveEnd);
        queue(slot.answer.body());
        if (slot.close)
            closeAfterFlush = true;
    }
    write();
    resumeIfRoom();
}

void Connection::write()
{
    while (!out.empty() && !closed) {
        iovec iov[maxIovecs];
        int n = 0;
        for (std::size_t i = 0; i < out.size() && n < maxIovecs; ++i, ++n) {
            const std::size_t skip = i == 0 ? outOffset : 0;
            iov[n].iov_base = const_cast<char *>(out[i].constData()) + skip;
            iov[n].iov_len = std::size_t(out[i].size()) - skip;
        }
        const ssize_t written = ::writev(fd, iov, n);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            // The client went away mid-answer: nothing more to do for it.
            loop->closeConnection(this);
            return;
        }
        lastActivityMs = nowMs();
        std::size_t left = std::size_t(written);
        unsentBytes -= left;
        std::size_t done = 0;
        while (done < out.size() && left > 0) {
            const std::size_t rest = std::size_t(out[done].size()) - outOffset;
            if (left >= rest) {
                left -= rest;
                outOffset = 0;
                ++done;
            } else {
                outOffset += left;
                left = 0;
            }
        }
        out.erase(out.begin(), out.begin() + qsizetype(done));
    }
    if (closed)
        return;
    if (out.empty() && closeAfterFlush) {
        if (lingerAfterFlush) {
            // Read and drop what the client still sends (the rest of a refused body), so
            // the kernel does not reset the connection before the answer is read.
            ::shutdown(fd, SHUT_WR);
            phase = Phase::Lingering;
            phaseSinceMs = nowMs();
            lingerAfterFlush = false;
            readingPaused = false;
        } else if (phase != Phase::Lingering) {
            loop->closeConnection(this);
            return;
        }
    }
    updateInterest();
}

void Connection::resumeIfRoom()
{
    if (closed || !parserPaused || pipelineFull() || stopParsing)
        return;
    parserPaused = false;
    llhttp_resume(&parser);
    const QByteArray rest = std::exchange(unparsed, QByteArray());
    if (!rest.isEmpty())
        feed(rest.constData(), std::size_t(rest.size()));
    updateInterest();
}

void Connection::updateInterest()
{
    if (closed)
        return;
    const bool paused = parserPaused || (stopParsing && phase != Phase::Lingering);
    const bool write = !out.empty();
    if (paused == readingPaused && write == wantWrite)
        return;
    readingPaused = paused;
    wantWrite = write;
    epoll_event ev {};
    // EPOLLRDHUP only while reading: level-triggered, it would fire without end for a
    // half-closed client whose answer is still being made.
    ev.events = (paused ? 0u : unsigned(EPOLLIN | EPOLLRDHUP)) | (write ? unsigned(EPOLLOUT) : 0u);
    ev.data.u64 = id;
    ::epoll_ctl(loop->m_epollFd, EPOLL_CTL_MOD, fd, &ev);
}

Reply &Reply::operator=(Reply &&other) noexcept
{
    if (this != &other) {
        if (m_loop)
            send(frontError(500));
        m_loop = std::exchange(other.m_loop, nullptr);
        m_connection = other.m_connection;
        m_sequence = other.m_sequence;
    }
    return *this;
}

Reply::~Reply()
{
    if (m_loop)
        send(frontError(500));
}

void Reply::send(Answer answer)
{
    FrontLoop *loop = std::exchange(m_loop, nullptr);
    if (!loop)
        return;
    loop->answer(m_connection, m_sequence, std::move(answer));
}

FrontLoop::FrontLoop(int index, int listenFd, FrontLimits limits, FrontHandler *handler)
    : m_index(index)
    , m_listenFd(listenFd)
    , m_limits(limits)
    , m_handler(handler)
{
    m_epollFd = ::epoll_create1(EPOLL_CLOEXEC);
    const qint64 shortest =
        std::min({qint64(limits.headerTimeout.count()), qint64(limits.bodyTimeout.count()),
                  qint64(limits.idleTimeout.count()), qint64(limits.lingerTimeout.count())});
    m_sweepEveryMs = std::clamp<qint64>(shortest / 4, 10, 1000);
    refreshDate(nowMs());
}

FrontLoop::~FrontLoop()
{
    stop();
    if (m_listenFd >= 0)
        ::close(m_listenFd);
    if (m_epollFd >= 0)
        ::close(m_epollFd);
}

void FrontLoop::start()
{
    epoll_event ev {};
    ev.events = EPOLLIN;
    ev.data.u64 = mailboxTag;
    ::epoll_ctl(m_epollFd, EPOLL_CTL_ADD, m_mailbox.eventFd(), &ev);
    if (m_listenFd >= 0) {
        ev.data.u64 = listenerTag;
        ::epoll_ctl(m_epollFd, EPOLL_CTL_ADD, m_listenFd, &ev);
    }
    m_thread = std::thread([this] { run(); });
}

bool FrontLoop::isLoopThread() const
{
    return m_threadId.load(std::memory_order_relaxed) == std::this_thread::get_id();
}

void FrontLoop::answer(std::uint64_t connection, std::uint64_t sequence, Answer answer)
{
    if (isLoopThread())
        return deliver(connection, sequence, std::move(answer));
    m_mailbox.push(Posted {connection, sequence, std::move(answer)});
}

void FrontLoop::beginDrain()
{
    m_drainRequested.store(true, std::memory_order_release);
    m_mailbox.push(Posted {});
}

int FrontLoop::busy() const
{
    return m_inFlight.load(std::memory_order_acquire)
        + m_connectionCount.load(std::memory_order_acquire);
}

void FrontLoop::stop()
{
    if (!m_thread.joinable())
        return;
    m_stopRequested.store(true, std::memory_order_release);
    m_mailbox.push(Posted {});
    m_thread.join();
}

void FrontLoop::adopt(int fd)
{
    m_mailbox.push(Posted {0, std::uint64_t(fd) + 1, Answer()});
}

void FrontLoop::watch(Connection *c)
{
    epoll_event ev {};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.u64 = c->id;
    ::epoll_ctl(m_epollFd, EPOLL_CTL_ADD, c->fd, &ev);
}

void FrontLoop::acceptAll()
{
    for (;;) {
        const int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                qCWarning(lcFront) << "accept failed:" << std::strerror(errno);
            return;
        }
        if (m_connections.size() >= m_limits.maxConnectionsPerThread) {
            // Full: a best-effort 503 (a fresh socket's buffer takes it) and close.
            const Answer &busy = frontError(503);
            iovec iov[4] = {
                {const_cast<char *>(busy.head().constData()), size_t(busy.head().size())},
                {m_dateLine.data(), size_t(m_dateLine.size())},
                {const_cast<char *>(closeEnd.constData()), size_t(closeEnd.size())},
                {const_cast<char *>(busy.body().constData()), size_t(busy.body().size())}};
            (void)!::writev(fd, iov, 4);
            ::close(fd);
            continue;
        }
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        auto c = std::make_unique<Connection>();
        c->loop = this;
        c->fd = fd;
        c->id = m_nextConnectionId++;
        c->address = peerAddress(fd);
        c->lastActivityMs = nowMs();
        c->phaseSinceMs = c->lastActivityMs;
        llhttp_init(&c->parser, HTTP_REQUEST, &Connection::settings());
        c->parser.data = c.get();
        watch(c.get());
        m_connections.emplace(c->id, std::move(c));
        m_connectionCount.fetch_add(1, std::memory_order_release);
    }
}

void FrontLoop::deliver(std::uint64_t connection, std::uint64_t sequence, Answer answer)
{
    m_inFlight.fetch_sub(1, std::memory_order_acq_rel);
    const auto it = m_connections.find(connection);
    if (it == m_connections.end() || it->second->closed)
        return; // the client has gone: the answer has nowhere to go
    Connection *c = it->second.get();
    if (sequence < c->firstSequence || sequence - c->firstSequence >= c->slots.size())
        return;
    Connection::Slot &slot = c->slots[std::size_t(sequence - c->firstSequence)];
    slot.answer = std::move(answer);
    slot.ready = true;
    if (m_draining)
        slot.close = slot.close || sequence + 1 == c->nextSequence;
    c->flushReady();
}

void FrontLoop::closeConnection(Connection *c)
{
    if (c->closed)
        return;
    c->closed = true;
    ::epoll_ctl(m_epollFd, EPOLL_CTL_DEL, c->fd, nullptr);
    ::close(c->fd);
    c->fd = -1;
    m_closing.push_back(c);
}

void FrontLoop::reap()
{
    for (Connection *c : m_closing) {
        m_connections.erase(c->id);
        m_connectionCount.fetch_sub(1, std::memory_order_release);
    }
    m_closing.clear();
}

void FrontLoop::refreshDate(qint64 now)
{
    const qint64 second = now / 1000;
    if (second == m_dateSecond)
        return;
    m_dateSecond = second;
    const std::time_t t = std::time_t(second);
    std::tm tm {};
    ::gmtime_r(&t, &tm);
    char text[64];
    const std::size_t n =
        std::strftime(text, sizeof text, "Date: %a, %d %b %Y %H:%M:%S GMT\r\n", &tm);
    m_dateLine = QByteArray(text, qsizetype(n));
}

void FrontLoop::sweep(qint64 now)
{
    for (auto &[id, owned] : m_connections) {
        Connection *c = owned.get();
        if (c->closed)
            continue;
        using Phase = Connection::Phase;
        switch (c->phase) {
        case Phase::Idle:
            // A connection waiting for its answers or writing to a slow reader is not idle;
            // one whose reader takes nothing for the idle time is dropped all the same.
            if (c->slots.empty() && now - c->lastActivityMs > m_limits.idleTimeout.count())
                closeConnection(c);
            break;
        case Phase::Headers:
            if (now - c->phaseSinceMs > m_limits.headerTimeout.count())
                c->refuse(408);
            break;
        case Phase::Body:
            if (now - c->phaseSinceMs > m_limits.bodyTimeout.count())
                c->refuse(408);
            break;
        case Phase::Lingering:
            if (now - c->phaseSinceMs > m_limits.lingerTimeout.count())
                closeConnection(c);
            break;
        }
    }
    reap();
}

void FrontLoop::drainNow()
{
    m_draining = true;
    if (m_listenFd >= 0) {
        ::epoll_ctl(m_epollFd, EPOLL_CTL_DEL, m_listenFd, nullptr);
        ::close(m_listenFd);
        m_listenFd = -1;
    }
    for (auto &[id, owned] : m_connections) {
        Connection *c = owned.get();
        if (c->closed)
            continue;
        if (c->isQuiet()) {
            closeConnection(c);
        } else if (!c->slots.empty()) {
            // The last answer owed closes the connection; nothing more is read.
            c->slots.back().close = true;
            c->stopParsing = true;
            c->updateInterest();
        } else if (c->phase != Connection::Phase::Lingering) {
            closeConnection(c); // a request half read: it will not be answered
        }
    }
    reap();
}

void FrontLoop::onMailbox()
{
    m_mailbox.drain([this](Posted &&p) {
        if (p.connection != 0)
            return deliver(p.connection, p.sequence, std::move(p.answer));
        if (p.sequence == 0)
            return;
        // A socket handed over by adopt().
        const int fd = int(p.sequence - 1);
        auto c = std::make_unique<Connection>();
        c->loop = this;
        c->fd = fd;
        c->id = m_nextConnectionId++;
        c->address = QByteArrayLiteral("local");
        c->lastActivityMs = nowMs();
        llhttp_init(&c->parser, HTTP_REQUEST, &Connection::settings());
        c->parser.data = c.get();
        watch(c.get());
        m_connections.emplace(c->id, std::move(c));
        m_connectionCount.fetch_add(1, std::memory_order_release);
    });
}

void FrontLoop::run()
{
    m_threadId.store(std::this_thread::get_id(), std::memory_order_relaxed);
    ::pthread_setname_np(::pthread_self(),
                         QByteArray("http-" + QByteArray::number(m_index)).constData());
    static thread_local char buffer[readChunk];
    epoll_event events[256];
    while (!m_stopRequested.load(std::memory_order_acquire)) {
        const int n = ::epoll_wait(m_epollFd, events, 256, int(m_sweepEveryMs));
        const qint64 now = nowMs();
        refreshDate(now);
        for (int i = 0; i < n; ++i) {
            const std::uint64_t tag = events[i].data.u64;
            if (tag == listenerTag) {
                acceptAll();
                continue;
            }
            if (tag == mailboxTag) {
                onMailbox();
                continue;
            }
            const auto it = m_connections.find(tag);
            if (it == m_connections.end())
                continue;
            Connection *c = it->second.get();
            if (c->closed)
                continue;
            const unsigned ev = events[i].events;
            if ((ev & (EPOLLERR | EPOLLHUP)) && c->readingPaused) {
                closeConnection(c); // reset or gone both ways: nothing can be written
                continue;
            }
            if (ev & EPOLLOUT)
                c->write();
            if (!c->closed && (ev & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))) {
                // Read while the parser takes more; a paused connection keeps its bytes in
                // the socket (the kernel's window then slows the client down).
                for (int reads = 0; reads < 4 && !c->closed && !c->readingPaused; ++reads) {
                    const ssize_t got = ::read(c->fd, buffer, sizeof buffer);
                    if (got > 0) {
                        c->lastActivityMs = now;
                        c->feed(buffer, std::size_t(got));
                        if (std::size_t(got) < sizeof buffer)
                            break;
                        continue;
                    }
                    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                        break;
                    if (got < 0 && errno == EINTR)
                        continue;
                    // EOF or an error. With answers still owed to a half-closed client
                    // (it may have shut down its side after sending), finish writing them.
                    if (got == 0 && (!c->slots.empty() || !c->out.empty())
                        && c->phase != Connection::Phase::Lingering) {
                        c->stopParsing = true;
                        if (!c->slots.empty())
                            c->slots.back().close = true;
                        else
                            c->closeAfterFlush = true;
                        c->updateInterest();
                        break;
                    }
                    closeConnection(c);
                    break;
                }
            }
        }
        if (m_drainRequested.load(std::memory_order_acquire) && !m_draining)
            drainNow();
        if (now - m_lastSweepMs >= m_sweepEveryMs) {
            m_lastSweepMs = now;
            sweep(now);
        }
        reap();
    }
    for (auto &[id, owned] : m_connections)
        if (!owned->closed)
            closeConnection(owned.get());
    reap();
    // Answers still posted are dropped with their connections.
    m_mailbox.drain([this](Posted &&p) {
        if (p.connection != 0)
            m_inFlight.fetch_sub(1, std::memory_order_acq_rel);
        else if (p.sequence != 0)
            ::close(int(p.sequence - 1));
    });
}

} // namespace flashsale::front
