#include "listenerpool.h"

#include "connectionguard.h"
#include "threadhandoff.h"

#include <QHttpServer>
#include <QLoggingCategory>
#include <QThread>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <future>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcListener, "flashsale.http.listener")

namespace flashsale::http {

Result<int> openReusePortSocket(const QHostAddress &address, quint16 port)
{
    const bool v6 = address.protocol() == QAbstractSocket::IPv6Protocol;
    const int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return Result<int>::failure(QString::fromLocal8Bit(std::strerror(errno)));
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) {
        const QString reason = QString::fromLocal8Bit(std::strerror(errno));
        ::close(fd);
        return Result<int>::failure(QStringLiteral("SO_REUSEPORT: ") + reason);
    }
    int bound = -1;
    if (v6) {
        sockaddr_in6 sa = {};
        sa.sin6_family = AF_INET6;
        sa.sin6_port = htons(port);
        const Q_IPV6ADDR a = address.toIPv6Address();
        std::memcpy(&sa.sin6_addr, &a, sizeof a);
        bound = ::bind(fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa);
    } else {
        sockaddr_in sa = {};
        sa.sin_family = AF_INET;
        sa.sin_port = htons(port);
        sa.sin_addr.s_addr = htonl(address.toIPv4Address());
        bound = ::bind(fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa);
    }
    if (bound != 0 || ::listen(fd, 4096) != 0) {
        const QString reason = QString::fromLocal8Bit(std::strerror(errno));
        ::close(fd);
        return Result<int>::failure(reason);
    }
    return fd;
}

namespace {
quint16 localPort(int fd)
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

ListenerPool::ListenerPool(QString name, QObject *parent)
    : QObject(parent)
    , m_name(std::move(name))
{ }

ListenerPool::~ListenerPool()
{
    stop();
}

Result<quint16> ListenerPool::start(const QHostAddress &address, quint16 port, int threads,
                                    Setup setup, qint64 maxUnansweredBytes)
{
    threads = std::max(threads, 1);
    QList<int> fds;
    for (int i = 0; i < threads; ++i) {
        const Result<int> fd = openReusePortSocket(address, port);
        if (!fd) {
            for (int open : std::as_const(fds))
                ::close(open);
            return Result<quint16>::failure(QStringLiteral("cannot listen on %1:%2: %3")
                                                .arg(address.toString())
                                                .arg(port)
                                                .arg(fd.error()));
        }
        fds.append(fd.value());
        if (port == 0)
            port = localPort(fd.value()); // the others join the port the first one got
    }

    for (int i = 0; i < threads; ++i) {
        auto *thread = new QThread;
        thread->setObjectName(QStringLiteral("%1-%2").arg(m_name).arg(i));
        auto *context = new QObject;
        context->moveToThread(thread);
        // Set up on the thread as it starts, before its event loop runs.
        std::promise<bool> served;
        const int fd = fds[i];
        const QMetaObject::Connection setUp = connect(
            thread, &QThread::started, context,
            [context, fd, setup, maxUnansweredBytes, &served] {
                auto *tcp = new ConnectionGuard(maxUnansweredBytes);
                if (!tcp->setSocketDescriptor(fd)) {
                    qCCritical(lcListener)
                        << "cannot adopt the listening socket:" << tcp->errorString();
                    delete tcp;
                    served.set_value(false);
                    return;
                }
                auto *http = new QHttpServer(context);
                setup(*http);
                http->bind(tcp); // the server takes the QTcpServer as its child
                served.set_value(true);
            },
            Qt::DirectConnection);
        thread->start();
        const bool ok = served.get_future().get();
        disconnect(setUp);
        m_threads.append(thread);
        m_contexts.append(context);
        if (!ok) {
            stop();
            return Result<quint16>::failure(
                QStringLiteral("cannot serve on %1:%2").arg(address.toString()).arg(port));
        }
    }
    return port;
}

void ListenerPool::stop()
{
    for (qsizetype i = 0; i < m_threads.size(); ++i) {
        // The server, its sockets and the Redis clients of its routes are destroyed on their
        // thread while its event loop still runs, not left to the thread's end.
        QObject *context = m_contexts[i];
        runOnThreadAndWait(context, [context] { delete context; });
        m_threads[i]->quit();
        m_threads[i]->wait();
        delete m_threads[i];
    }
    m_threads.clear();
    m_contexts.clear();
}

} // namespace flashsale::http
