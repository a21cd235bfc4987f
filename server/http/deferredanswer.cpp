#include "deferredanswer.h"

#include "connectionguard.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcAnswer, "flashsale.http.answer")

namespace flashsale::http {

DeferredAnswer::DeferredAnswer(QHttpServerResponder &&responder)
    : m_responder(std::make_shared<QHttpServerResponder>(std::move(responder)))
    , m_connection(ConnectionGuard::currentConnection())
{ }

void DeferredAnswer::send(const QHttpServerResponse &response)
{
    if (!m_responder)
        return;
    std::shared_ptr<QHttpServerResponder> responder = std::exchange(m_responder, nullptr);
    if (!m_connection || m_connection->state() != QAbstractSocket::ConnectedState) {
        qCDebug(lcAnswer) << "the client left before its answer";
        return;
    }
    response.write(std::move(*responder));
}

} // namespace flashsale::http
