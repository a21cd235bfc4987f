// The shopper front's event loop (FrontLoop) over raw sockets, with a test handler instead
// of the shopper routes: pipelining, partial reads, keep-alive and HTTP/1.0, every limit and
// timeout, smuggling attempts, slow clients beside a fast one, a client leaving mid-answer,
// the connection bound, the drain.

#include "frontloop.h"
#include "listenerpool.h"
#include "rawhttpclient.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <llhttp.h>

#include <arpa/inet.h>
#include <chrono>
#include <mutex>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace flashsale::front;
using Client = flashsale::test::RawHttpClient;
using Response = flashsale::test::RawResponse;
using namespace std::chrono_literals;

namespace {

// /now: answered at once; /later?<ms>: from another thread after <ms>; /echo: the body;
// /big: 8 MiB; /hold: never answered until release().
class TestHandler : public FrontHandler
{
public:
    ~TestHandler() override { joinAll(); }

    void handle(Request &&request, Reply reply) override
    {
        const std::string_view path = request.path();
        const std::string_view target(request.target.constData(), size_t(request.target.size()));
        if (path == "/now")
            return reply.send(Answer::make(200, "text/plain", "now"));
        if (path == "/echo")
            return reply.send(Answer::make(200, "text/plain", request.body));
        if (path == "/big")
            return reply.send(Answer::make(200, "text/plain", QByteArray(8 << 20, 'b')));
        if (path == "/hold") {
            std::lock_guard lock(m_mutex);
            m_held.push_back(std::move(reply));
            return;
        }
        if (path == "/later") {
            const int ms = std::atoi(std::string(target.substr(target.find('?') + 1)).c_str());
            std::lock_guard lock(m_mutex);
            m_threads.emplace_back([ms, r = std::move(reply)]() mutable {
                std::this_thread::sleep_for(std::chrono::milliseconds(ms));
                r.send(Answer::make(200, "text/plain", "later " + QByteArray::number(ms)));
            });
            return;
        }
        reply.send(Answer::error(404, QStringLiteral("not_found"), QStringLiteral("nothing")));
    }

    void release()
    {
        std::lock_guard lock(m_mutex);
        for (Reply &r : m_held)
            r.send(Answer::make(200, "text/plain", "released"));
        m_held.clear();
    }
    int held()
    {
        std::lock_guard lock(m_mutex);
        return int(m_held.size());
    }
    void joinAll()
    {
        std::vector<std::thread> threads;
        {
            std::lock_guard lock(m_mutex);
            threads.swap(m_threads);
        }
        for (std::thread &t : threads)
            t.join();
    }

private:
    std::mutex m_mutex;
    std::vector<std::thread> m_threads;
    std::vector<Reply> m_held;
};

QByteArray get(const char *path, const char *extra = "")
{
    return QByteArray("GET ") + path + " HTTP/1.1\r\nHost: x\r\n" + extra + "\r\n";
}

} // namespace

class tst_FrontLoop : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestHandler> m_handler;
    std::unique_ptr<FrontLoop> m_loop;
    quint16 m_port = 0;

    void startLoop(FrontLimits limits = {})
    {
        stopLoop();
        const auto fd = flashsale::http::openReusePortSocket(QHostAddress::LocalHost, 0);
        QVERIFY2(fd.ok(), qPrintable(fd.error()));
        sockaddr_in sa {};
        socklen_t length = sizeof sa;
        ::getsockname(fd.value(), reinterpret_cast<sockaddr *>(&sa), &length);
        m_port = ntohs(sa.sin_port);
        m_handler = std::make_unique<TestHandler>();
        m_loop = std::make_unique<FrontLoop>(0, fd.value(), limits, m_handler.get());
        m_loop->start();
    }
    void stopLoop()
    {
        if (m_handler)
            m_handler->release();
        if (m_handler)
            m_handler->joinAll();
        m_loop.reset();
        m_handler.reset();
    }

private Q_SLOTS:
    void init() { startLoop(); }
    void cleanup() { stopLoop(); }

    void answersCarryDateAndLength()
    {
        Client c(m_port);
        QVERIFY(c.send(get("/now")));
        const Response r = c.read();
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray("now"));
        const QByteArray date = r.header("Date");
        QVERIFY2(date.endsWith(" GMT") && date.size() == 29, date.constData());
        QCOMPARE(r.header("Content-Length"), QByteArray("3"));
        QVERIFY(r.header("Connection").isEmpty()); // HTTP/1.1: keep-alive is the default
    }

    void keepsTheConnectionAlive()
    {
        Client c(m_port);
        for (int i = 0; i < 5; ++i) {
            QVERIFY(c.send(get("/now")));
            QCOMPARE(c.read().status, 200);
        }
    }

    void pipelinedAnswersKeepTheRequestsOrder()
    {
        // The first answer is given last (from another thread, later): all wait for it.
        Client c(m_port);
        QVERIFY(c.send(get("/later?150") + get("/now") + get("/later?20") + get("/echo")));
        QCOMPARE(c.read().body, QByteArray("later 150"));
        QCOMPARE(c.read().body, QByteArray("now"));
        QCOMPARE(c.read().body, QByteArray("later 20"));
        QCOMPARE(c.read().body, QByteArray());
    }

    void manyPipelinedRequestsAllAnswered()
    {
        // More than maxPipelined at once: the parser waits for answers, nothing is lost.
        Client c(m_port);
        QByteArray burst;
        for (int i = 0; i < 500; ++i)
            burst += "POST /echo HTTP/1.1\r\nContent-Length: "
                + QByteArray::number(QByteArray::number(i).size()) + "\r\n\r\n"
                + QByteArray::number(i);
        QVERIFY(c.send(burst));
        for (int i = 0; i < 500; ++i)
            QCOMPARE(c.read().body, QByteArray::number(i));
    }

    void oneByteAtATime()
    {
        Client c(m_port);
        const QByteArray request =
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello" + get("/now");
        for (char ch : request)
            QVERIFY(c.send(QByteArray(1, ch)));
        QCOMPARE(c.read().body, QByteArray("hello"));
        QCOMPARE(c.read().body, QByteArray("now"));
    }

    void chunkedBodyIsDecoded()
    {
        Client c(m_port);
        QVERIFY(c.send("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                       "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"));
        QCOMPARE(c.read().body, QByteArray("abcde"));
    }

    void http10ClosesUnlessAskedToKeepAlive()
    {
        {
            Client c(m_port);
            QVERIFY(c.send("GET /now HTTP/1.0\r\n\r\n"));
            const Response r = c.read();
            QCOMPARE(r.status, 200);
            QCOMPARE(r.header("Connection"), QByteArray("close"));
            QVERIFY(c.closedByServer());
        }
        Client c(m_port);
        QVERIFY(c.send("GET /now HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
        const Response r = c.read();
        QCOMPARE(r.header("Connection"), QByteArray("keep-alive"));
        QVERIFY(c.send("GET /now HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
        QCOMPARE(c.read().status, 200);
    }

    void connectionCloseIsHonouredAndLaterRequestsIgnored()
    {
        Client c(m_port);
        QVERIFY(c.send(get("/now", "Connection: close\r\n") + get("/echo")));
        const Response r = c.read();
        QCOMPARE(r.body, QByteArray("now"));
        QCOMPARE(r.header("Connection"), QByteArray("close"));
        QVERIFY(c.closedByServer());
    }

    void expectContinueGetsA100()
    {
        Client c(m_port);
        QVERIFY(c.send("POST /echo HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n"));
        QCOMPARE(c.read().status, 100);
        QVERIFY(c.send("ok"));
        QCOMPARE(c.read().body, QByteArray("ok"));
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        QTest::newRow("body over the limit (declared)")
            << QByteArray("POST /echo HTTP/1.1\r\nContent-Length: 70000\r\n\r\n") << 413
            << "too_large";
        QTest::newRow("body over the limit (chunked)")
            << QByteArray("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n11170\r\n"
                          + QByteArray(70000, 'x') + "\r\n0\r\n\r\n")
            << 413 << "too_large";
        QTest::newRow("request line over the limit")
            << QByteArray("GET /" + QByteArray(9000, 'a') + " HTTP/1.1\r\n\r\n") << 414
            << "uri_too_long";
        QTest::newRow("headers over the limit")
            << QByteArray("GET /now HTTP/1.1\r\nX-Big: " + QByteArray(17000, 'h') + "\r\n\r\n")
            << 431 << "headers_too_large";
        QTest::newRow("many headers over the limit") << QByteArray(
            "GET /now HTTP/1.1\r\n" + QByteArray("X-A: 0123456789\r\n").repeated(2000) + "\r\n")
                                                     << 431 << "headers_too_large";
        QTest::newRow("Content-Length with Transfer-Encoding")
            << QByteArray("POST /echo HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: "
                          "chunked\r\n\r\n0\r\n\r\n")
            << 400 << "bad_request";
        QTest::newRow("two different Content-Lengths")
            << QByteArray("POST /echo HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"
                          "hello!")
            << 400 << "bad_request";
        QTest::newRow("space before the colon")
            << QByteArray("POST /echo HTTP/1.1\r\nContent-Length : 5\r\n\r\nhello") << 400
            << "bad_request";
        QTest::newRow("Transfer-Encoding not chunked last") << QByteArray(
            "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n")
                                                            << 400 << "bad_request";
        QTest::newRow("bare LF line ends in a chunk")
            << QByteArray("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\n0\n\n")
            << 400 << "bad_request";
        QTest::newRow("not HTTP") << QByteArray("HELLO\r\n\r\n") << 400 << "bad_request";
        QTest::newRow("bad version")
            << QByteArray("GET / HTTP/7.1\r\n\r\n") << 400 << "bad_request";
    }

    void refusals()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        QFETCH(QString, error);
        Client c(m_port);
        // A request after the bad one must not be answered (no smuggling).
        c.send(request + get("/now"));
        const Response r = c.read();
        QCOMPARE(r.status, status);
        QCOMPARE(r.error(), error);
        QCOMPARE(r.header("Connection"), QByteArray("close"));
        QVERIFY(c.closedByServer());
        // The loop serves the next client.
        Client next(m_port);
        QVERIFY(next.send(get("/now")));
        QCOMPARE(next.read().status, 200);
    }

    void answersBeforeARefusalStillGoOut()
    {
        Client c(m_port);
        c.send(get("/later?50") + "GET /" + QByteArray(9000, 'a') + " HTTP/1.1\r\n\r\n");
        QCOMPARE(c.read().body, QByteArray("later 50"));
        QCOMPARE(c.read().status, 414);
        QVERIFY(c.closedByServer());
    }

    void timeouts_data()
    {
        QTest::addColumn<QByteArray>("partial");
        QTest::addColumn<int>("status"); // 0: closed without an answer
        QTest::newRow("headers too slow") << QByteArray("GET /now HTTP/1.1\r\nHost: x\r\n") << 408;
        QTest::newRow("body too slow")
            << QByteArray("POST /echo HTTP/1.1\r\nContent-Length: 10\r\n\r\nhel") << 408;
        QTest::newRow("idle keep-alive") << get("/now") << 0;
    }

    void timeouts()
    {
        QFETCH(QByteArray, partial);
        QFETCH(int, status);
        FrontLimits limits;
        limits.headerTimeout = 300ms;
        limits.bodyTimeout = 300ms;
        limits.idleTimeout = 300ms;
        startLoop(limits);
        Client c(m_port);
        QVERIFY(c.send(partial));
        if (status == 0) {
            QCOMPARE(c.read().status, 200); // the request itself is answered...
            QVERIFY(c.closedByServer()); // ...then the idle connection is closed
            return;
        }
        const Response r = c.read();
        QCOMPARE(r.status, status);
        QCOMPARE(r.error(), QStringLiteral("timeout"));
        QVERIFY(c.closedByServer());
    }

    void slowHeadersByteByByteStillTimeOut()
    {
        // A trickle of bytes does not reset the header timeout (slowloris).
        FrontLimits limits;
        limits.headerTimeout = 400ms;
        startLoop(limits);
        Client c(m_port);
        const QByteArray headers = "GET /now HTTP/1.1\r\nX-Slow: " + QByteArray(100, 's');
        Response r;
        for (char ch : headers) {
            if (!c.send(QByteArray(1, ch)))
                break;
            std::this_thread::sleep_for(10ms);
        }
        r = c.read();
        QCOMPARE(r.status, 408);
    }

    void stalledUploadsDoNotDelayAnotherShopper()
    {
        FrontLimits limits;
        limits.bodyTimeout = 20s; // far longer than this test waits for the fast answer
        startLoop(limits);
        std::vector<std::unique_ptr<Client>> stalled;
        for (int i = 0; i < 300; ++i) {
            stalled.push_back(std::make_unique<Client>(m_port));
            QVERIFY(stalled.back()->connected());
            QVERIFY(stalled.back()->send("POST /echo HTTP/1.1\r\nContent-Length: 60000\r\n\r\n"
                                         + QByteArray(1000, 'x')));
        }
        Client fast(m_port);
        QVERIFY(fast.send(get("/now")));
        QCOMPARE(fast.read().status, 200);
        // The stalled ones are still waiting (not refused, not answered): the fast answer
        // did not have to wait for any of their timeouts.
        for (int i = 0; i < 300; i += 50)
            QVERIFY(stalled[size_t(i)]->silentFor(10));
        QCOMPARE(m_loop->busy(), 301);
    }

    void connectionBoundRefusesWith503()
    {
        FrontLimits limits;
        limits.maxConnectionsPerThread = 3;
        startLoop(limits);
        std::vector<std::unique_ptr<Client>> open;
        for (int i = 0; i < 3; ++i) {
            open.push_back(std::make_unique<Client>(m_port));
            QVERIFY(open.back()->send(get("/now")));
            QCOMPARE(open.back()->read().status, 200);
        }
        Client extra(m_port);
        const Response r = extra.read();
        QCOMPARE(r.status, 503);
        QCOMPARE(r.error(), QStringLiteral("degraded"));
        QVERIFY(!r.header("Retry-After").isEmpty());
        QVERIFY(extra.closedByServer());
        // A place freed is a place for the next one.
        open.pop_back();
        QTRY_COMPARE(m_loop->busy(), 2);
        Client next(m_port);
        QVERIFY(next.send(get("/now")));
        QCOMPARE(next.read().status, 200);
    }

    void clientClosingMidAnswerHarmsNoOne()
    {
        {
            Client c(m_port);
            QVERIFY(c.send(get("/big") + get("/big")));
            char some[1000];
            QVERIFY(::recv(c.fd(), some, sizeof some, 0) > 0);
            c.close(); // with megabytes still to come
        }
        {
            Client c(m_port);
            QVERIFY(c.send(get("/later?100")));
            c.close(); // before its answer exists
        }
        QTRY_COMPARE(m_loop->busy(), 0);
        Client next(m_port);
        QVERIFY(next.send(get("/now")));
        QCOMPARE(next.read().status, 200);
    }

    void drainAnswersWhatIsInFlightAndRefusesNewConnections()
    {
        Client idle(m_port);
        QVERIFY(idle.send(get("/now")));
        QCOMPARE(idle.read().status, 200);
        Client waiting(m_port);
        QVERIFY(waiting.send(get("/hold")));
        QTRY_COMPARE(m_handler->held(), 1);

        m_loop->beginDrain();
        QVERIFY(idle.closedByServer()); // nothing in flight: closed at once
        QTRY_VERIFY(!Client(m_port).connected()); // no more listening
        // The held request and its connection (a probe that connected before the listener
        // closed is counted until the loop reads its close).
        QTRY_COMPARE(m_loop->busy(), 2);
        m_handler->release();
        const Response r = waiting.read();
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("Connection"), QByteArray("close"));
        QVERIFY(waiting.closedByServer());
        QTRY_COMPARE(m_loop->busy(), 0);
    }

    void droppedReplyAnswers500()
    {
        // A handler that loses its Reply (a bug) must not leave the client hanging.
        class Dropper : public FrontHandler
        {
        public:
            void handle(Request &&, Reply) override { }
        };
        stopLoop();
        const auto fd = flashsale::http::openReusePortSocket(QHostAddress::LocalHost, 0);
        sockaddr_in sa {};
        socklen_t length = sizeof sa;
        ::getsockname(fd.value(), reinterpret_cast<sockaddr *>(&sa), &length);
        Dropper dropper;
        FrontLoop loop(0, fd.value(), {}, &dropper);
        loop.start();
        Client c(ntohs(sa.sin_port));
        QVERIFY(c.send(get("/anything")));
        QCOMPARE(c.read().status, 500);
        loop.stop();
    }
};

QTEST_GUILESS_MAIN(tst_FrontLoop)
#include "tst_frontloop.moc"
