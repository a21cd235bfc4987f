#pragma once

#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QPointer>
#include <QTcpSocket>

#include <memory>

namespace flashsale::http {

/// An answer given later (after a database call or a timer), on the handler's thread.
/// Copyable, so it fits in a continuation; if the shopper hung up meanwhile the answer is
/// dropped rather than written to a deleted connection.
class DeferredAnswer
{
public:
    /// Takes the responder of the request being handled now on this thread.
    explicit DeferredAnswer(QHttpServerResponder &&responder);

    /// Sends \a response once; later calls do nothing.
    void send(const QHttpServerResponse &response);

private:
    std::shared_ptr<QHttpServerResponder> m_responder;
    QPointer<QTcpSocket> m_connection;
};

} // namespace flashsale::http
