#pragma once

#include <QHttpServerResponse>
#include <QJsonObject>

namespace flashsale::http {

/// A JSON body with a status code.
QHttpServerResponse
jsonResponse(const QJsonObject &body,
             QHttpServerResponse::StatusCode status = QHttpServerResponse::StatusCode::Ok);

/// The error body every route uses: {"error": code, "message": text for people}.
QHttpServerResponse errorResponse(QHttpServerResponse::StatusCode status, const QString &code,
                                  const QString &message);

} // namespace flashsale::http
