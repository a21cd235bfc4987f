#pragma once

#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

namespace flashsale::http {

/// The QTcpServer under each QHttpServer. It makes the sockets itself, so it can
/// (a) refuse a connection that sends more than a request's worth of bytes without waiting
/// for an answer (QHttpServer would buffer any body whole), and (b) tell a handler which
/// connection it is answering, so an answer given later is dropped instead of written to a
/// connection that has gone (Qt 6.4's QHttpServerResponder keeps a raw socket pointer).
class ConnectionGuard : public QTcpServer
{
    Q_OBJECT
public:
    /// Refuses a connection with 413 once it sent \a maxUnansweredBytes without an answer.
    explicit ConnectionGuard(qint64 maxUnansweredBytes, QObject *parent = nullptr);

    /// The connection whose request is being handled on this thread right now.
    static QPointer<QTcpSocket> currentConnection();

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    qint64 m_maxUnansweredBytes = 0;
};

} // namespace flashsale::http
