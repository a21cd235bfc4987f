#include "connectionguard.h"

#include <QLoggingCategory>
#include <QTimer>

Q_LOGGING_CATEGORY(lcConnection, "flashsale.http.connection")

namespace flashsale::http {

namespace {
thread_local QPointer<QTcpSocket> current;
const char unansweredProperty[] = "flashsale_unanswered";
const char refusedProperty[] = "flashsale_refused";
} // namespace

ConnectionGuard::ConnectionGuard(qint64 maxUnansweredBytes, QObject *parent)
    : QTcpServer(parent)
    , m_maxUnansweredBytes(maxUnansweredBytes)
{ }

QPointer<QTcpSocket> ConnectionGuard::currentConnection()
{
    return current;
}

void ConnectionGuard::incomingConnection(qintptr socketDescriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        qCWarning(lcConnection) << "cannot adopt a connection:" << socket->errorString();
        delete socket;
        return;
    }
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    // Connected before QHttpServer connects its own slot, so this runs first on each read.
    connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
        current = socket;
        const qint64 unanswered =
            socket->property(unansweredProperty).toLongLong() + socket->bytesAvailable();
        socket->setProperty(unansweredProperty, unanswered);
        if (unanswered <= m_maxUnansweredBytes)
            return;
        // QHttpServer keeps a partial request in a read transaction: drop it, and the rest,
        // so its slot finds nothing to parse and the memory is given back.
        if (socket->isTransactionStarted())
            socket->commitTransaction();
        socket->readAll();
        if (socket->property(refusedProperty).toBool())
            return;
        qCInfo(lcConnection) << "refusing" << socket->peerAddress().toString() << "after"
                             << unanswered << "bytes without an answer";
        socket->setProperty(refusedProperty, true);
        const QByteArray body =
            "{\"error\":\"too_large\",\"message\":\"The request is too large.\"}";
        socket->write("HTTP/1.1 413 Payload Too Large\r\nContent-Type: application/json\r\n"
                      "Connection: close\r\nContent-Length: "
                      + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        // Many clients read the answer only once they have sent everything: keep reading
        // (and dropping) for a while, then hang up.
        QTimer::singleShot(2000, socket, [socket] { socket->disconnectFromHost(); });
    });
    connect(socket, &QTcpSocket::bytesWritten, socket, [socket] {
        if (!socket->property(refusedProperty).toBool())
            socket->setProperty(unansweredProperty, qint64(0));
    });
    addPendingConnection(socket);
}

} // namespace flashsale::http
