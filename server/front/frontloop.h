#pragma once

#include "answer.h"
#include "frontlimits.h"
#include "mailbox.h"
#include "request.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <unordered_map>

namespace flashsale::front {

class FrontLoop;
struct Connection;

/// The way to answer one request, once, from any thread: on the loop's own thread the
/// answer is written at once; from another thread it goes through the loop's mailbox.
/// Answers of pipelined requests go out in their requests' order whatever order they are
/// given in. A Reply dropped without an answer sends a 500 (a connection never hangs).
class Reply
{
public:
    Reply() = default;
    Reply(FrontLoop *loop, std::uint64_t connection, std::uint64_t sequence)
        : m_loop(loop)
        , m_connection(connection)
        , m_sequence(sequence)
    { }
    Reply(Reply &&other) noexcept { *this = std::move(other); }
    Reply &operator=(Reply &&other) noexcept;
    Reply(const Reply &) = delete;
    Reply &operator=(const Reply &) = delete;
    ~Reply();

    /// Sends \a answer; later calls do nothing.
    void send(Answer answer);
    bool isPending() const { return m_loop != nullptr; }

private:
    FrontLoop *m_loop = nullptr;
    std::uint64_t m_connection = 0;
    std::uint64_t m_sequence = 0;
};

/// What a front thread calls for each complete request (one object per thread, called on
/// that thread only).
class FrontHandler
{
public:
    virtual ~FrontHandler() = default;
    /// Answers \a request through \a reply, now or later, from any thread.
    virtual void handle(Request &&request, Reply reply) = 0;
};

/// One front thread: an epoll loop over its own SO_REUSEPORT listener and the connections
/// it accepted, parsing with llhttp, answering through its handler, writing with writev.
/// Nothing is shared with the other loops; answers from other threads come in through a
/// Mailbox (lock-free queue + eventfd).
class FrontLoop
{
public:
    /// Serves \a listenFd (taken over) with \a handler, within \a limits.
    FrontLoop(int index, int listenFd, FrontLimits limits, FrontHandler *handler);
    ~FrontLoop();

    /// Starts the thread (named "http-<index>").
    void start();
    /// Stops accepting, closes idle connections, answers what is in flight and closes each
    /// connection once its answers are out. Thread-safe; returns at once.
    void beginDrain();
    /// Requests being handled (read, not yet answered) plus open connections: 0 when a
    /// drain is over.
    int busy() const;
    /// Closes every connection and joins the thread.
    void stop();

    /// Thread-safe: answers request \a sequence of connection \a connection.
    void answer(std::uint64_t connection, std::uint64_t sequence, Answer answer);
    bool isLoopThread() const;
    int index() const { return m_index; }
    const FrontLimits &limits() const { return m_limits; }

    /// Thread-safe: serves the connected socket \a fd (taken over) as if it had been
    /// accepted (the fuzzer feeds raw bytes through one end of a socket pair).
    void adopt(int fd);

private:
    friend struct Connection;
    struct Posted
    {
        std::uint64_t connection = 0; ///< 0: a control message (drain, stop)
        std::uint64_t sequence = 0;
        Answer answer;
    };

    void run();
    void acceptAll();
    void onMailbox();
    void deliver(std::uint64_t connection, std::uint64_t sequence, Answer answer);
    void sweep(qint64 nowMs);
    void refreshDate(qint64 nowMs);
    void closeConnection(Connection *c);
    void reap();
    void drainNow();
    void watch(Connection *c);

    const int m_index;
    int m_listenFd = -1;
    const FrontLimits m_limits;
    FrontHandler *m_handler = nullptr;
    int m_epollFd = -1;
    Mailbox<Posted> m_mailbox;
    std::thread m_thread;
    std::atomic<bool> m_drainRequested = false;
    std::atomic<bool> m_stopRequested = false;
    std::atomic<int> m_inFlight = 0; ///< dispatched, not yet answered
    std::atomic<int> m_connectionCount = 0;
    bool m_draining = false; ///< on the loop thread: the drain has begun
    std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> m_connections;
    std::uint64_t m_nextConnectionId = 16; ///< ids below are the listener's and mailbox's tags
    QByteArray m_dateLine; ///< "Date: ...\r\n", remade each second
    qint64 m_dateSecond = -1;
    qint64 m_lastSweepMs = 0;
    qint64 m_sweepEveryMs = 1000;
    std::atomic<std::thread::id> m_threadId {};
    std::vector<Connection *> m_closing; ///< closed during an event, freed after it

    friend class Reply;
};

} // namespace flashsale::front
