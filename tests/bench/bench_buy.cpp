// Benchmark: the buy path against its two baselines, measured in the same run on the same
// machine: nginx `return 200` (the HTTP ceiling) and redis-benchmark running the reserve
// script alone (the Redis ceiling). Prints req/s, p50/p99 and the CPU microseconds per
// request of the process under load (from /proc), and the ratios. Run it with
// `packaging/test --bench -R bench_buy` (release preset).
//
//   (c) nginx `return 200` (the stack's /bench/ok), wrk -t2 -c32
//   (d) redis-benchmark EVALSHA of the reserve script, 32 connections pipelined 16, a new
//       shopper each call: what Redis alone can reserve on this machine
//   (b) buy on a sold-out product: every check up to the local sold-out mark, no Redis call;
//       target >= 1.0x (c), and no more server CPU per request than nginx's
//   (a) buy with a large stock, every request a different shopper (tokens and paths made
//       here with the server's secrets, as many as the rate of (d) could use): a reserve
//       script and a hand-over to the publisher before each 202; target >= 0.8x (d); every
//       answer must be a 202
//   open loop: (b) and (a) again at half their measured rate, requests sent on a schedule
//       (not when the previous answer came), latency from the scheduled time; p99 target
//       10 ms
//
// The server runs the API role only: the order workers are bench_orderdrain's.

#include "database.h"
#include "httpclient.h"
#include "pathsigner.h"
#include "salekeys.h"
#include "salescripts.h"
#include "serverprocess.h"
#include "sessiontokens.h"
#include "testservices.h"
#include "wrk.h"

#include <QDateTime>
#include <QDir>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTemporaryFile>
#include <QTest>
#include <QTimer>

#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <deque>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

using flashsale::test::runWrk;
using flashsale::test::ServerProcess;
using flashsale::test::TestServices;
using flashsale::test::WrkFigures;

namespace {

// CPU time (user + system) of \a pid so far, in microseconds; 0 if it is gone.
qint64 cpuMicros(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray line = stat.readAll();
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return 0;
    const qint64 ticks = fields[11].toLongLong() + fields[12].toLongLong(); // utime + stime
    return ticks * 1'000'000 / ::sysconf(_SC_CLK_TCK);
}

// The stack's nginx: its master (from the pid file) and the master's children.
QList<qint64> nginxPids(const QString &stackDir)
{
    QFile pidFile(stackDir + QStringLiteral("/nginx/nginx.pid"));
    if (!pidFile.open(QIODevice::ReadOnly))
        return {};
    const qint64 master = pidFile.readAll().trimmed().toLongLong();
    QList<qint64> pids {master};
    for (const QString &entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool number = false;
        const qint64 pid = entry.toLongLong(&number);
        if (!number)
            continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray line = stat.readAll();
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 1 && fields[1].toLongLong() == master)
            pids.append(pid);
    }
    return pids;
}

qint64 cpuMicros(const QList<qint64> &pids)
{
    qint64 sum = 0;
    for (qint64 pid : pids)
        sum += cpuMicros(pid);
    return sum;
}

struct RedisBenchFigures
{
    double requestsPerSecond = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    QString raw;
};

// redis-benchmark running \a args (a command) \a requests times on \a connections
// connections, \a pipeline commands at a time; waits in an event loop (see runWrk).
RedisBenchFigures runRedisBenchmark(const QUrl &redis, const QStringList &args, int connections,
                                    int pipeline, int requests)
{
    QProcess bench;
    bench.setProcessChannelMode(QProcess::MergedChannels);
    bench.start(QStringLiteral("redis-benchmark"),
                QStringList {QStringLiteral("-h"), redis.host(), QStringLiteral("-p"),
                             QString::number(redis.port()), QStringLiteral("-c"),
                             QString::number(connections), QStringLiteral("-P"),
                             QString::number(pipeline), QStringLiteral("-n"),
                             QString::number(requests), QStringLiteral("-r"),
                             QStringLiteral("1000000000"), QStringLiteral("--csv")}
                    + args);
    QEventLoop loop;
    QObject::connect(&bench, &QProcess::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(300'000, &loop, &QEventLoop::quit);
    if (bench.state() != QProcess::NotRunning)
        loop.exec();
    RedisBenchFigures f;
    f.raw = QString::fromUtf8(bench.readAll());
    // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms",...
    for (const QString &line : f.raw.split(u'\n')) {
        const QStringList cells = QString(line).remove(u'"').split(u',');
        if (cells.size() >= 7 && cells[1] != u"rps") {
            f.requestsPerSecond = cells[1].toDouble();
            f.p50Ms = cells[4].toDouble();
            f.p99Ms = cells[6].toDouble();
        }
    }
    return f;
}

struct OpenLoopFigures
{
    double sentPerSecond = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    double p999Ms = 0;
    qint64 answered = 0;
    qint64 non2xx = 0;
    qint64 unanswered = 0;
};

// An open-loop sender (wrk2 is not in Debian): \a connections keep-alive connections to
// \a port, requests sent on a fixed schedule at \a rate per second for \a seconds whatever the
// answers do, each request's latency counted from its scheduled time (no coordinated
// omission). Requests are taken from \a requests in turn. Blocking; run it on a thread.
OpenLoopFigures openLoop(quint16 port, const QList<QByteArray> &requests, double rate, int seconds,
                         int connections)
{
    using Clock = std::chrono::steady_clock;
    struct Conn
    {
        int fd = -1;
        QByteArray in;
        QByteArray out;
        std::deque<Clock::time_point> scheduled;
    };
    std::vector<Conn> conns;
    conns.resize(size_t(connections));
    for (Conn &c : conns) {
        c.fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in sa {};
        sa.sin_family = AF_INET;
        sa.sin_port = htons(port);
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(c.fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa) != 0)
            return {};
        const int one = 1;
        ::setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        ::fcntl(c.fd, F_SETFL, ::fcntl(c.fd, F_GETFL) | O_NONBLOCK);
    }
    std::vector<double> latencies;
    latencies.reserve(size_t(rate * seconds) + 16);
    OpenLoopFigures f;
    const auto interval = std::chrono::duration<double>(1.0 / rate);
    const Clock::time_point start = Clock::now();
    const Clock::time_point stop = start + std::chrono::seconds(seconds);
    qint64 sent = 0;
    qint64 next = 0; // request index
    std::vector<pollfd> polls(conns.size());
    while (true) {
        const Clock::time_point now = Clock::now();
        // Everything due by now goes out (round-robin over the connections).
        while (now < stop) {
            const Clock::time_point due =
                start + std::chrono::duration_cast<Clock::duration>(interval * double(sent));
            if (due > now)
                break;
            Conn &c = conns[size_t(sent % connections)];
            c.out += requests[qsizetype(next++ % requests.size())];
            c.scheduled.push_back(due);
            ++sent;
        }
        bool waiting = false;
        for (size_t i = 0; i < conns.size(); ++i) {
            Conn &c = conns[i];
            if (!c.out.isEmpty()) {
                const ssize_t n =
                    ::send(c.fd, c.out.constData(), size_t(c.out.size()), MSG_NOSIGNAL);
                if (n > 0)
                    c.out.remove(0, n);
            }
            waiting = waiting || !c.scheduled.empty();
            polls[i] = {c.fd, short(POLLIN | (c.out.isEmpty() ? 0 : POLLOUT)), 0};
        }
        if (now >= stop && (!waiting || now > stop + std::chrono::seconds(10)))
            break;
        const Clock::time_point due =
            start + std::chrono::duration_cast<Clock::duration>(interval * double(sent));
        const int timeoutMs = now >= stop
            ? 100
            : int(std::max<qint64>(
                0,
                std::chrono::duration_cast<std::chrono::milliseconds>(due - Clock::now()).count()));
        ::poll(polls.data(), nfds_t(polls.size()), timeoutMs);
        const Clock::time_point read = Clock::now();
        for (size_t i = 0; i < conns.size(); ++i) {
            if (!(polls[i].revents & POLLIN))
                continue;
            Conn &c = conns[i];
            char chunk[65536];
            ssize_t n = 0;
            while ((n = ::recv(c.fd, chunk, sizeof chunk, 0)) > 0)
                c.in.append(chunk, n);
            for (;;) {
                const qsizetype end = c.in.indexOf("\r\n\r\n");
                if (end < 0)
                    break;
                const qsizetype at = c.in.indexOf("Content-Length: ");
                const qsizetype length = at >= 0 && at < end
                    ? c.in.mid(at + 16, c.in.indexOf("\r\n", at) - at - 16).toLongLong()
                    : 0;
                if (c.in.size() < end + 4 + length)
                    break;
                const int status = c.in.mid(9, 3).toInt();
                c.in.remove(0, end + 4 + length);
                if (c.scheduled.empty())
                    break;
                latencies.push_back(
                    std::chrono::duration<double, std::milli>(read - c.scheduled.front()).count());
                c.scheduled.pop_front();
                ++f.answered;
                if (status < 200 || status > 299)
                    ++f.non2xx;
            }
        }
    }
    for (Conn &c : conns) {
        f.unanswered += qint64(c.scheduled.size());
        ::close(c.fd);
    }
    f.sentPerSecond = double(sent) / seconds;
    std::sort(latencies.begin(), latencies.end());
    const auto at = [&](double q) {
        return latencies.empty() ? 0.0 : latencies[size_t(q * double(latencies.size() - 1))];
    };
    f.p50Ms = at(0.50);
    f.p99Ms = at(0.99);
    f.p999Ms = at(0.999);
    return f;
}

// Runs \a work on a thread while this thread's event loop goes on (the server's output is
// read meanwhile).
template<typename Work>
auto onThread(Work work)
{
    using T = decltype(work());
    T result {};
    std::atomic<bool> done = false;
    std::thread thread([&] {
        result = work();
        done = true;
    });
    QEventLoop loop;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done)
            loop.quit();
    });
    poll.start(50);
    loop.exec();
    thread.join();
    return result;
}

} // namespace

class bench_Buy : public QObject
{
    Q_OBJECT

private:
    flashsale::test::HttpClient m_http;

    QJsonObject call(const QByteArray &verb, const QUrl &url, const QByteArray &body,
                     const QByteArray &authorization, int *status = nullptr)
    {
        const flashsale::test::HttpReply reply = m_http.call(verb, url, body, authorization);
        if (status)
            *status = reply.status;
        return reply.body;
    }

private Q_SLOTS:
    void soldOutAgainstNginx()
    {
        const QByteArray adminToken = "bench-admin";
        const QByteArray sessionSecret = "bench-session-secret";
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        const QString databaseUrl = TestServices::instance().createDatabase();
        env.insert(QStringLiteral("FLASHSALE_DATABASE_URL"), databaseUrl);
        env.insert(QStringLiteral("FLASHSALE_REDIS_URL"), TestServices::instance().redisUrl());
        env.insert(QStringLiteral("FLASHSALE_AMQP_URL"), TestServices::instance().amqpUrl());
        ServerProcess server;
        QVERIFY2(
            server.start({QStringLiteral("--role"), QStringLiteral("api"),
                          QStringLiteral("--admin-token"), QString::fromLatin1(adminToken),
                          QStringLiteral("--password-iterations"), QStringLiteral("1000"),
                          QStringLiteral("--max-in-flight"), QStringLiteral("100000"),
                          QStringLiteral("--session-secret"), QString::fromLatin1(sessionSecret)},
                         env),
            qPrintable(server.output()));
        const QByteArray admin = "Bearer " + adminToken;
        {
            // Redis is shared and kept between runs: ids from a random offset are fresh keys.
            const auto opened = flashsale::db::openDatabase(
                flashsale::db::DatabaseUrl::parse(databaseUrl).value(), QStringLiteral("offset"));
            QVERIFY2(opened.ok(), qPrintable(opened.error()));
            QSqlQuery q(opened.value());
            QVERIFY(q.exec(
                QStringLiteral("ALTER SEQUENCE goods_id_seq RESTART WITH %1")
                    .arg(2'000'000'000LL + QRandomGenerator::global()->bounded(1'000'000'000))));
        }
        flashsale::db::closeDatabase(QStringLiteral("offset"));
        const QJsonObject goods =
            call("POST", server.adminUrl().resolved(QUrl(QStringLiteral("/admin/goods"))),
                 "{\"name\":\"Bench\",\"priceCents\":100,\"flashPriceCents\":1}", admin);
        const qint64 id = goods.value(QStringLiteral("goodsId")).toInteger();
        QVERIFY(id > 0);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const auto iso = [](qint64 ms) {
            return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
        };
        const QJsonObject schedule {{QStringLiteral("stock"), 0},
                                    {QStringLiteral("revealAt"), iso(now - 2000)},
                                    {QStringLiteral("startAt"), iso(now - 1000)},
                                    {QStringLiteral("endAt"), iso(now + 3'600'000)},
                                    {QStringLiteral("ratePerSecond"), 10'000'000},
                                    {QStringLiteral("burst"), 10'000'000}};
        int status = 0;
        call("PUT", server.adminUrl().resolved(QUrl(QStringLiteral("/admin/sales/%1").arg(id))),
             QJsonDocument(schedule).toJson(), admin, &status);
        QCOMPARE(status, 200);
        call("POST", server.baseUrl().resolved(QUrl(QStringLiteral("/api/users"))),
             "{\"username\":\"bencher\",\"password\":\"secret-pw\"}", {});
        const QString token =
            call("POST", server.baseUrl().resolved(QUrl(QStringLiteral("/api/sessions"))),
                 "{\"username\":\"bencher\",\"password\":\"secret-pw\"}", {})
                .value(QStringLiteral("token"))
                .toString();
        const QByteArray bearer = "Bearer " + token.toLatin1();
        const QString path =
            call("GET",
                 server.baseUrl().resolved(QUrl(QStringLiteral("/api/sales/%1/path").arg(id))), {},
                 bearer)
                .value(QStringLiteral("path"))
                .toString();
        QCOMPARE(path.size(), 32);
        const QUrl buy = server.baseUrl().resolved(
            QUrl(QStringLiteral("/api/sales/%1/%2/orders").arg(id).arg(path)));
        QTRY_COMPARE_WITH_TIMEOUT(
            call("POST", buy, {}, bearer, &status).value(QStringLiteral("error")).toString(),
            QStringLiteral("sold_out"), 5000);

        QTemporaryFile script;
        QVERIFY(script.open());
        script.write("wrk.method = \"POST\"\nwrk.headers[\"Authorization\"] = \"" + bearer
                     + "\"\n");
        script.flush();

        // (a): a product with a stock no run can sell out, and one request per shopper.
        const qint64 bigId =
            call("POST", server.adminUrl().resolved(QUrl(QStringLiteral("/admin/goods"))),
                 "{\"name\":\"Big\",\"priceCents\":100,\"flashPriceCents\":1}", admin)
                .value(QStringLiteral("goodsId"))
                .toInteger();
        QJsonObject bigSchedule = schedule;
        bigSchedule.insert(QStringLiteral("stock"), 1'000'000'000);
        call("PUT", server.adminUrl().resolved(QUrl(QStringLiteral("/admin/sales/%1").arg(bigId))),
             QJsonDocument(bigSchedule).toJson(), admin, &status);
        QCOMPARE(status, 200);
        QByteArray saleSecret;
        {
            const auto opened = flashsale::db::openDatabase(
                flashsale::db::DatabaseUrl::parse(databaseUrl).value(), QStringLiteral("bench"));
            QVERIFY2(opened.ok(), qPrintable(opened.error()));
            QSqlQuery q(opened.value());
            QVERIFY(
                q.exec(QStringLiteral("SELECT path_secret FROM miaosha_goods WHERE goods_id = %1")
                           .arg(bigId))
                && q.next());
            saleSecret = q.value(0).toByteArray();
        }
        flashsale::db::closeDatabase(QStringLiteral("bench"));
        const flashsale::users::SessionTokens tokens(sessionSecret, 3600);
        const flashsale::sale::PathSigner signer(saleSecret);
        qint64 nextShopper = 1;
        const auto buyRequest = [&](qint64 user) -> QByteArray {
            return "POST /api/sales/" + QByteArray::number(bigId) + '/'
                + signer.path(user, bigId).toLatin1() + "/orders HTTP/1.1\r\nHost: bench\r\n"
                + "Authorization: Bearer " + tokens.issue(user, now).toLatin1()
                + "\r\nContent-Length: 0\r\n\r\n";
        };
        // \a count fresh shoppers for wrk: one line each (path, then Authorization), read by
        // the script at start (a Lua table literal this big exceeds LuaJIT's constants).
        QTemporaryFile shopperLines;
        QTemporaryFile shoppers;
        const auto mintForWrk = [&](qint64 count) {
            QByteArray lines;
            lines.reserve(count * 200);
            for (qint64 i = 0; i < count; ++i, ++nextShopper)
                lines += "/api/sales/" + QByteArray::number(bigId) + '/'
                    + signer.path(nextShopper, bigId).toLatin1() + "/orders Bearer "
                    + tokens.issue(nextShopper, now).toLatin1() + '\n';
            shopperLines.open();
            shopperLines.resize(0);
            shopperLines.write(lines);
            shopperLines.flush();
            shoppers.open();
            shoppers.resize(0);
            shoppers.write("local reqs = {}\n"
                           "local counter = 0\n"
                           "local nextid = 0\n"
                           "function setup(thread) thread:set(\"id\", nextid); nextid = nextid + "
                           "1 end\n"
                           "function init(args)\n"
                           "  for line in io.lines(\""
                           + shopperLines.fileName().toUtf8()
                           + "\") do\n"
                             "    local path, auth = line:match(\"^(%S+) (.+)$\")\n"
                             "    reqs[#reqs + 1] = {path, auth}\n"
                             "  end\n"
                             "  counter = id\n"
                             "end\n"
                             "function request()\n"
                             "  local r = reqs[(counter % #reqs) + 1]\n"
                             "  counter = counter + 2\n"
                             "  return wrk.format(\"POST\", r[1], {[\"Authorization\"] = r[2]})\n"
                             "end\n");
            shoppers.flush();
        };
        {
            // One shopper by hand first: it loads the reserve script into Redis, and the run
            // below only counts answers.
            const QJsonObject first =
                call("POST",
                     server.baseUrl().resolved(QUrl(QStringLiteral("/api/sales/%1/%2/orders")
                                                        .arg(bigId)
                                                        .arg(signer.path(nextShopper, bigId)))),
                     {}, "Bearer " + tokens.issue(nextShopper, now).toLatin1(), &status);
            ++nextShopper;
            QVERIFY2(status == 202, QJsonDocument(first).toJson().constData());
        }

        const int seconds = qEnvironmentVariableIntValue("FLASHSALE_BENCH_SECONDS") > 0
            ? qEnvironmentVariableIntValue("FLASHSALE_BENCH_SECONDS")
            : 10;
        const qint64 serverPid = server.process().processId();
        const QList<qint64> nginx = nginxPids(TestServices::instance().stackDir());
        QVERIFY2(!nginx.isEmpty(), "the stack's nginx is not running");
        const QUrl nginxUrl =
            QUrl(TestServices::instance().nginxUrl()).resolved(QUrl(QStringLiteral("/bench/ok")));
        const auto cpuPerRequest = [](qint64 before, qint64 after, double rps, int secs) {
            return rps > 0 ? double(after - before) / (rps * secs) : 0.0;
        };

        // (c) nginx
        runWrk(nginxUrl, 32, 2); // warm-up
        qint64 cpu0 = cpuMicros(nginx);
        const WrkFigures base = runWrk(nginxUrl, 32, seconds);
        const double baseCpu =
            cpuPerRequest(cpu0, cpuMicros(nginx), base.requestsPerSecond, seconds);
        QVERIFY2(base.requestsPerSecond > 0, qPrintable(base.raw));

        // (b) sold out
        runWrk(buy, 32, 2, script.fileName()); // warm-up
        cpu0 = cpuMicros(serverPid);
        const WrkFigures soldOut = runWrk(buy, 32, seconds, script.fileName());
        const double soldOutCpu =
            cpuPerRequest(cpu0, cpuMicros(serverPid), soldOut.requestsPerSecond, seconds);
        QVERIFY2(soldOut.requestsPerSecond > 0, qPrintable(soldOut.raw));
        // Every sold-out answer is a 410: all of them count as non-2xx.
        QVERIFY2(soldOut.non2xx > 0, qPrintable(soldOut.raw));

        // (d) Redis alone: the reserve script, a new shopper per call (__rand_int__), on the
        // big sale's keys.
        const QUrl redisUrl(TestServices::instance().redisUrl());
        QStringList reserveCall;
        for (const QByteArray &part :
             flashsale::redis::SaleScripts(nullptr).reserveCommand(bigId, "__rand_int__"))
            reserveCall.append(QString::fromLatin1(part));
        const RedisBenchFigures alone = runRedisBenchmark(redisUrl, reserveCall, 32, 16, 200'000);
        QVERIFY2(alone.requestsPerSecond > 0, qPrintable(alone.raw));

        // (a) full reservations: as many shoppers as Redis alone could serve in the run, and
        // a margin (the server adds to what Redis costs, so it cannot use more).
        const qint64 needed = qint64(alone.requestsPerSecond * seconds * 1.3) + 10'000;
        mintForWrk(needed);
        cpu0 = cpuMicros(serverPid);
        const WrkFigures full = runWrk(server.baseUrl(), 32, seconds, shoppers.fileName());
        const double fullCpu =
            cpuPerRequest(cpu0, cpuMicros(serverPid), full.requestsPerSecond, seconds);
        QVERIFY2(full.requestsPerSecond > 0, qPrintable(full.raw));
        QVERIFY2(full.requestsPerSecond * seconds < needed,
                 qPrintable(QStringLiteral("more requests than shoppers: some were duplicates\n")
                            + full.raw));

        // Open loop at half the peak rates.
        const quint16 port = quint16(server.baseUrl().port());
        const QByteArray soldOutRequest = "POST " + buy.path(QUrl::FullyEncoded).toLatin1()
            + " HTTP/1.1\r\nHost: bench\r\nAuthorization: " + bearer
            + "\r\nContent-Length: 0\r\n\r\n";
        const double soldOutRate = soldOut.requestsPerSecond / 2;
        const OpenLoopFigures soldOutOpen =
            onThread([&] { return openLoop(port, {soldOutRequest}, soldOutRate, seconds, 64); });
        const double fullRate = full.requestsPerSecond / 2;
        QList<QByteArray> fresh;
        const qint64 openCount = qint64(fullRate * seconds * 1.1) + 1000;
        fresh.reserve(openCount);
        for (qint64 i = 0; i < openCount; ++i)
            fresh.append(buyRequest(nextShopper++));
        const OpenLoopFigures fullOpen =
            onThread([&] { return openLoop(port, fresh, fullRate, seconds, 64); });

        std::printf("\nbench_buy (%d s each, same machine, same run; the machine is shared: other "
                    "work ran beside it)\n",
                    seconds);
        std::printf("  (c) nginx return 200       : %9.0f req/s  p50 %6.2f ms  p99 %6.2f ms  "
                    "CPU %5.2f us/req  (wrk -t2 -c32)\n",
                    base.requestsPerSecond, base.p50Ms, base.p99Ms, baseCpu);
        std::printf("  (d) Redis alone, reserve   : %9.0f req/s  p50 %6.2f ms  p99 %6.2f ms  "
                    "(redis-benchmark EVALSHA -c32 -P16)\n",
                    alone.requestsPerSecond, alone.p50Ms, alone.p99Ms);
        std::printf("  (b) buy, sold out          : %9.0f req/s  p50 %6.2f ms  p99 %6.2f ms  "
                    "CPU %5.2f us/req  %.2fx nginx (target 1.0), CPU %.2fx nginx's (target <= "
                    "1.0)\n",
                    soldOut.requestsPerSecond, soldOut.p50Ms, soldOut.p99Ms, soldOutCpu,
                    soldOut.requestsPerSecond / base.requestsPerSecond,
                    baseCpu > 0 ? soldOutCpu / baseCpu : 0.0);
        std::printf("  (a) buy, full reservation  : %9.0f req/s  p50 %6.2f ms  p99 %6.2f ms  "
                    "CPU %5.2f us/req  %.2fx Redis alone (target 0.8); non-2xx %lld of %lld "
                    "shoppers minted\n",
                    full.requestsPerSecond, full.p50Ms, full.p99Ms, fullCpu,
                    full.requestsPerSecond / alone.requestsPerSecond, full.non2xx, needed);
        std::printf("  open loop, sold out        : %9.0f req/s sent  p50 %6.2f ms  p99 %6.2f ms  "
                    "p99.9 %6.2f ms  (half of (b), 64 connections; p99 target 10 ms)\n",
                    soldOutOpen.sentPerSecond, soldOutOpen.p50Ms, soldOutOpen.p99Ms,
                    soldOutOpen.p999Ms);
        std::printf("  open loop, full reservation: %9.0f req/s sent  p50 %6.2f ms  p99 %6.2f ms  "
                    "p99.9 %6.2f ms  (half of (a), 64 connections); non-2xx %lld, unanswered "
                    "%lld\n",
                    fullOpen.sentPerSecond, fullOpen.p50Ms, fullOpen.p99Ms, fullOpen.p999Ms,
                    fullOpen.non2xx, fullOpen.unanswered);
        if (full.non2xx > 0 || fullOpen.non2xx > 0) {
            // How the server answered the requests it did not accept, and what it logged.
            QNetworkRequest request(server.baseUrl().resolved(QUrl(QStringLiteral("/metrics"))));
            QNetworkReply *reply = m_http.network().get(request);
            QEventLoop loop;
            connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            loop.exec();
            const QList<QByteArray> metrics = reply->readAll().split('\n');
            reply->deleteLater();
            for (const QByteArray &line : metrics) {
                if (line.startsWith("flashsale_buy_requests_total{"))
                    std::printf("  server: %s\n", line.constData());
            }
            const QStringList lines = server.output().split(u'\n');
            qsizetype shown = 0;
            for (const QString &line : lines) {
                if ((line.contains(QStringLiteral(" W ")) || line.contains(QStringLiteral(" E ")))
                    && shown++ < 10)
                    std::printf("  server: %s\n", qPrintable(line));
            }
        }
        std::fflush(stdout);
        // A full reservation is a 202, every one of them.
        QCOMPARE(full.non2xx, 0);
        QCOMPARE(fullOpen.non2xx, 0);
        QCOMPARE(fullOpen.unanswered, 0);
        QCOMPARE(server.stop(), 0);
    }
};

int main(int argc, char **argv)
{
    // Six runs of seconds each and the shoppers minted between them: more than QtTest's
    // default five minutes per function on a loaded machine.
    if (!qEnvironmentVariableIsSet("QTEST_FUNCTION_TIMEOUT"))
        qputenv("QTEST_FUNCTION_TIMEOUT", "840000");
    QCoreApplication app(argc, argv);
    bench_Buy bench;
    return QTest::qExec(&bench, argc, argv);
}
#include "bench_buy.moc"
