#pragma once

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonObject>

namespace flashsale::http {

struct RequestError;

/// 405 with a JSON error for every method of \a path not routed before this call.
void refuseOtherMethods(QHttpServer &server, const QString &path, const QString &allowed);

/// The JSON 404 for everything no route matches.
void installMissingHandler(QHttpServer &server);

/// The answer to a body that could not be decoded.
QHttpServerResponse errorResponse(const RequestError &error);

/// 503 `degraded` with Retry-After.
QHttpServerResponse degradedResponse(const QString &message, int retryAfterSeconds = 1);

/// A JSON error with a Retry-After header.
QHttpServerResponse errorWithRetry(QHttpServerResponse::StatusCode status, const QString &code,
                                   const QString &message, int retryAfterSeconds);

/// The body that is not JSON-parsed (GET/DELETE) must still not be huge.
bool bodyTooLarge(const QHttpServerRequest &request);

} // namespace flashsale::http
