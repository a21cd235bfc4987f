// libFuzzer target: raw byte streams into a shopper front connection (FrontLoop: llhttp,
// limits, pipelining, the answer queue). Each input is written to one end of a socket pair
// whose other end the loop serves, in pieces the input's first byte sizes, then the writing
// side is shut; the loop must answer with well-formed HTTP (or nothing) and close. A crash, a
// sanitizer report, a hang or a malformed answer stops the fuzzer.

#include "frontloop.h"

#include <cstdint>
#include <cstdlib>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace flashsale::front;

namespace {

// Answers at once, except "/later" (from the next request's call, or at EOF): answers out
// of order exercise the pipelining queue.
class FuzzHandler : public FrontHandler
{
public:
    void handle(Request &&request, Reply reply) override
    {
        if (m_held.isPending())
            m_held.send(Answer::make(200, "text/plain", "held"));
        if (request.path() == "/later") {
            m_held = std::move(reply);
            return;
        }
        reply.send(Answer::make(200, "text/plain", request.body));
    }

private:
    Reply m_held; // a Reply dropped at the end answers 500
};

void check(bool condition)
{
    if (!condition)
        std::abort();
}

FrontLoop &loop()
{
    // Both live for the whole run (never destroyed: a held Reply must not outlive the
    // front's static answers at exit).
    static FuzzHandler *handler = new FuzzHandler;
    static FrontLoop *instance = [] {
        FrontLimits limits;
        limits.maxBodyBytes = 4096; // small, so the fuzzer reaches the limits
        limits.maxHeaderBytes = 2048;
        limits.maxUrlBytes = 512;
        limits.maxPipelined = 4;
        auto *l = new FrontLoop(0, -1, limits, handler);
        l->start();
        return l;
    }();
    return *instance;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        return 0;
    ::fcntl(fds[1], F_SETFL, ::fcntl(fds[1], F_GETFL) | O_NONBLOCK);
    loop().adopt(fds[1]);
    const size_t piece = size > 0 ? 1 + data[0] % 64 : 1;
    QByteArray answers;
    for (size_t at = 0; at < size; at += piece) {
        const size_t n = std::min(piece, size - at);
        if (::send(fds[0], data + at, n, MSG_NOSIGNAL) < 0)
            break;
    }
    ::shutdown(fds[0], SHUT_WR);
    char buffer[65536];
    for (;;) {
        const ssize_t got = ::recv(fds[0], buffer, sizeof buffer, 0);
        if (got <= 0)
            break;
        answers.append(buffer, got);
    }
    ::close(fds[0]);
    // Whatever was answered is a sequence of whole HTTP/1.1 answers.
    qsizetype at = 0;
    while (at < answers.size()) {
        check(answers.mid(at, 9) == "HTTP/1.1 ");
        const qsizetype end = answers.indexOf("\r\n\r\n", at);
        check(end > at);
        const QByteArray head = answers.mid(at, end - at);
        qsizetype length = 0;
        const qsizetype cl = head.indexOf("Content-Length: ");
        if (cl >= 0)
            length = head.mid(cl + 16, head.indexOf("\r\n", cl) - cl - 16).toLongLong();
        at = end + 4 + length;
        check(at <= answers.size());
    }
    return 0;
}
