#include "httpapi.h"

#include "healthregistry.h"
#include "jsonresponse.h"

#include <QHttpServerRequest>
#include <QJsonDocument>

namespace flashsale::http {

using StatusCode = QHttpServerResponse::StatusCode;

HttpApi::HttpApi(const HealthRegistry &health, QObject *parent)
    : QObject(parent)
    , m_health(health)
{
    m_server.route(QStringLiteral("/healthz"), QHttpServerRequest::Method::Get, [this] {
        const QJsonObject body = m_health.toJson();
        return jsonResponse(body,
                            m_health.allUp() ? StatusCode::Ok : StatusCode::ServiceUnavailable);
    });
    m_server.route(QStringLiteral("/healthz"), [] {
        return errorResponse(StatusCode::MethodNotAllowed, QStringLiteral("method_not_allowed"),
                             QStringLiteral("Use GET for /healthz."));
    });
    m_server.setMissingHandler(
        [](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            const QJsonObject body {
                {QStringLiteral("error"), QStringLiteral("not_found")},
                {QStringLiteral("message"),
                 QStringLiteral("There is nothing at %1.").arg(request.url().path())},
            };
            responder.write(QJsonDocument(body), StatusCode::NotFound);
        });
}

Result<quint16> HttpApi::listen(const QHostAddress &address, quint16 port)
{
    const quint16 bound = m_server.listen(address, port);
    if (bound == 0)
        return Result<quint16>::failure(
            QStringLiteral("cannot listen on %1:%2").arg(address.toString()).arg(port));
    return bound;
}

} // namespace flashsale::http
