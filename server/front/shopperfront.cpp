#include "shopperfront.h"

#include "frontloop.h"
#include "listenerpool.h"
#include "shopworker.h"
#include "threadhandoff.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QThread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

Q_DECLARE_LOGGING_CATEGORY(lcFront)

namespace flashsale::front {

namespace {
quint16 boundPort(int fd)
{
    sockaddr_storage sa = {};
    socklen_t length = sizeof sa;
    if (::getsockname(fd, reinterpret_cast<sockaddr *>(&sa), &length) != 0)
        return 0;
    if (sa.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<sockaddr_in6 *>(&sa)->sin6_port);
    return ntohs(reinterpret_cast<sockaddr_in *>(&sa)->sin_port);
}
} // namespace

ShopperFront::ShopperFront(ShopperServices services, FrontLimits limits)
    : m_services(std::make_shared<const ShopperServices>(std::move(services)))
    , m_limits(limits)
{ }

ShopperFront::~ShopperFront()
{
    stop();
}

Result<quint16> ShopperFront::start(const QHostAddress &address, quint16 port, int threads)
{
    threads = std::max(threads, 1);
    std::vector<int> fds;
    for (int i = 0; i < threads; ++i) {
        const Result<int> fd = http::openReusePortSocket(address, port);
        if (!fd) {
            for (int open : fds)
                ::close(open);
            return Result<quint16>::failure(QStringLiteral("cannot listen on %1:%2: %3")
                                                .arg(address.toString())
                                                .arg(port)
                                                .arg(fd.error()));
        }
        fds.push_back(fd.value());
        if (port == 0)
            port = boundPort(fd.value()); // the others join the port the first one got
    }

    const QString redisUrl = m_services->context.redisUrl;
    const int windowMs = m_services->context.windowMs;
    const users::SignInBrakeOptions brake = m_services->context.brake;
    const QString site = m_services->context.site;
    for (int i = 0; i < threads; ++i) {
        auto *thread = new QThread;
        thread->setObjectName(QStringLiteral("shop-%1").arg(i));
        auto *worker = new ShopWorker;
        worker->moveToThread(thread);
        thread->start();
        runOnThreadAndWait(worker, [worker, redisUrl, windowMs, brake, site] {
            worker->setUp(redisUrl, windowMs);
            worker->setUpBrake(brake, site);
        });
        m_workerThreads.push_back(thread);
        m_workers.push_back(worker);
        m_routes.push_back(std::make_unique<ShopperRoutes>(m_services, worker));
        m_loops.push_back(
            std::make_unique<FrontLoop>(i, fds[size_t(i)], m_limits, m_routes.back().get()));
        m_loops.back()->start();
    }
    return port;
}

void ShopperFront::stop()
{
    if (m_loops.empty() && m_workers.empty())
        return;
    // Drain: no new connections, idle ones closed, each in-flight request answered (its
    // work on the workers, the SQL threads and the publisher is still running).
    for (auto &loop : m_loops)
        loop->beginDrain();
    QElapsedTimer waited;
    waited.start();
    const auto busy = [this] {
        int n = 0;
        for (auto &loop : m_loops)
            n += loop->busy();
        return n;
    };
    while (busy() > 0 && waited.elapsed() < m_limits.drainTimeout.count())
        QThread::msleep(5);
    if (const int left = busy())
        qCWarning(lcFront) << "shopper front stopped with" << left
                           << "requests or connections still open after the drain";
    // The workers go first: a late answer of theirs is posted to a loop that still exists.
    for (size_t i = 0; i < m_workers.size(); ++i) {
        QThread *thread = m_workerThreads[i];
        ShopWorker *worker = m_workers[i];
        runOnThreadAndWait(worker, [worker] { delete worker; });
        thread->quit();
        thread->wait();
        delete thread;
    }
    m_workers.clear();
    m_workerThreads.clear();
    for (auto &loop : m_loops)
        loop->stop();
    m_loops.clear();
    m_routes.clear();
}

} // namespace flashsale::front
