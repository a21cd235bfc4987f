#include "routehelpers.h"

#include "jsonresponse.h"
#include "requestdecoding.h"

#include <QJsonDocument>

namespace flashsale::http {

using StatusCode = QHttpServerResponse::StatusCode;

void refuseOtherMethods(QHttpServer &server, const QString &path, const QString &allowed)
{
    const auto refuse = [allowed] {
        QHttpServerResponse response =
            errorResponse(StatusCode::MethodNotAllowed, QStringLiteral("method_not_allowed"),
                          QStringLiteral("Use %1 here.").arg(allowed));
        response.addHeader("Allow", allowed.toLatin1());
        return response;
    };
    // The router takes the placeholders' types from the handler: a goods id first (so a
    // path that is not a number stays a 404), then a string.
    switch (path.count(QStringLiteral("<arg>"))) {
    case 0:
        server.route(path, [refuse](const QHttpServerRequest &) { return refuse(); });
        break;
    case 1:
        server.route(path, [refuse](qint64, const QHttpServerRequest &) { return refuse(); });
        break;
    default:
        server.route(path, [refuse](qint64, const QString &, const QHttpServerRequest &) {
            return refuse();
        });
        break;
    }
}

void installMissingHandler(QHttpServer &server)
{
    server.setMissingHandler(
        [](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            const QJsonObject body {
                {QStringLiteral("error"), QStringLiteral("not_found")},
                {QStringLiteral("message"),
                 QStringLiteral("There is nothing at %1.").arg(request.url().path().left(200))},
            };
            responder.write(QJsonDocument(body).toJson(QJsonDocument::Compact), "application/json",
                            StatusCode::NotFound);
        });
}

QHttpServerResponse errorResponse(const RequestError &error)
{
    return http::errorResponse(StatusCode(error.status), error.code, error.message);
}

QHttpServerResponse errorWithRetry(StatusCode status, const QString &code, const QString &message,
                                   int retryAfterSeconds)
{
    QHttpServerResponse response = http::errorResponse(status, code, message);
    response.addHeader("Retry-After", QByteArray::number(std::max(retryAfterSeconds, 1)));
    return response;
}

QHttpServerResponse degradedResponse(const QString &message, int retryAfterSeconds)
{
    return errorWithRetry(StatusCode::ServiceUnavailable, QStringLiteral("degraded"), message,
                          retryAfterSeconds);
}

bool bodyTooLarge(const QHttpServerRequest &request)
{
    return request.body().size() > maxBodyBytes;
}

} // namespace flashsale::http
