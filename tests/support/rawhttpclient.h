#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace flashsale::test {

/// One answer read by RawHttpClient.
struct RawResponse
{
    int status = 0;
    QByteArray headers;
    QByteArray body;
    bool ok() const { return status > 0; }
    QByteArray header(const char *name) const
    {
        for (const QByteArray &line : headers.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
                return line.mid(colon + 1).trimmed();
        }
        return {};
    }
    QString error() const
    {
        return QJsonDocument::fromJson(body).object().value(QStringLiteral("error")).toString();
    }
};

/// A blocking client socket with a receive timeout, for tests of the front itself: it sends
/// bytes as given (pipelined, partial, malformed) and reads answers one by one.
class RawHttpClient
{
public:
    explicit RawHttpClient(quint16 port, int timeoutMs = 5000)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        timeval tv {timeoutMs / 1000, (timeoutMs % 1000) * 1000};
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        sockaddr_in sa {};
        sa.sin_family = AF_INET;
        sa.sin_port = htons(port);
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        m_connected = ::connect(m_fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa) == 0;
    }
    ~RawHttpClient()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    bool connected() const { return m_connected; }
    int fd() const { return m_fd; }

    bool send(const QByteArray &bytes)
    {
        qsizetype sent = 0;
        while (sent < bytes.size()) {
            const ssize_t n =
                ::send(m_fd, bytes.constData() + sent, size_t(bytes.size() - sent), MSG_NOSIGNAL);
            if (n <= 0)
                return false;
            sent += n;
        }
        return true;
    }
    void close()
    {
        ::close(m_fd);
        m_fd = -1;
    }

    // Reads one answer (status line, headers, Content-Length body); status 0 on EOF/timeout.
    RawResponse read()
    {
        RawResponse r;
        qsizetype end = -1;
        while ((end = m_buffer.indexOf("\r\n\r\n")) < 0)
            if (!fill())
                return r;
        const QByteArray head = m_buffer.left(end);
        m_buffer.remove(0, end + 4);
        qsizetype firstLine = head.indexOf("\r\n");
        if (firstLine < 0)
            firstLine = head.size(); // a status line alone (100 Continue)
        const QList<QByteArray> status = head.left(firstLine).split(' ');
        if (status.size() < 2)
            return r;
        r.status = status[1].toInt();
        r.headers = head.mid(firstLine + 2);
        const qsizetype length = r.header("Content-Length").toLongLong();
        while (m_buffer.size() < length)
            if (!fill()) {
                m_cut = true;
                return RawResponse();
            }
        r.body = m_buffer.left(length);
        m_buffer.remove(0, length);
        return r;
    }
    // True when the server closed the connection (EOF) within the timeout, with nothing else.
    bool closedByServer()
    {
        char c;
        const ssize_t n = ::recv(m_fd, &c, 1, 0);
        return n == 0 || (n < 0 && errno == ECONNRESET);
    }
    // True when nothing arrived within \a ms (and the connection is still open).
    bool silentFor(int ms)
    {
        pollfd p {m_fd, POLLIN, 0};
        return m_buffer.isEmpty() && ::poll(&p, 1, ms) == 0;
    }

    /// True when bytes of an answer not read in full are left (after read() gave 0 at EOF:
    /// an answer cut off).
    bool hasPartialAnswer() const { return m_cut || !m_buffer.isEmpty(); }

private:
    bool fill()
    {
        char chunk[65536];
        const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
        if (n <= 0)
            return false;
        m_buffer.append(chunk, n);
        return true;
    }

    int m_fd = -1;
    bool m_connected = false;
    bool m_cut = false; ///< an answer's body ended early
    QByteArray m_buffer;
};

} // namespace flashsale::test
