#include "jsonresponse.h"

namespace flashsale::http {

QHttpServerResponse jsonResponse(const QJsonObject &body, QHttpServerResponse::StatusCode status)
{
    return QHttpServerResponse(body, status);
}

QHttpServerResponse errorResponse(QHttpServerResponse::StatusCode status, const QString &code,
                                  const QString &message)
{
    return QHttpServerResponse(
        QJsonObject {{QStringLiteral("error"), code}, {QStringLiteral("message"), message}},
        status);
}

} // namespace flashsale::http
