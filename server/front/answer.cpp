#include "answer.h"

#include <QJsonDocument>

namespace flashsale::front {

const char *Answer::reason(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 411:
        return "Length Required";
    case 413:
        return "Payload Too Large";
    case 414:
        return "URI Too Long";
    case 417:
        return "Expectation Failed";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Unknown";
    }
}

Answer Answer::make(int status, QByteArrayView contentType, QByteArray body,
                    QByteArrayView extraHeaders)
{
    Answer a;
    a.m_status = status;
    a.m_head.reserve(128 + extraHeaders.size());
    a.m_head.append("HTTP/1.1 ")
        .append(QByteArray::number(status))
        .append(' ')
        .append(reason(status))
        .append("\r\nServer: flashsale\r\nContent-Type: ")
        .append(contentType)
        .append("\r\nContent-Length: ")
        .append(QByteArray::number(body.size()))
        .append("\r\n")
        .append(extraHeaders);
    a.m_body = std::move(body);
    return a;
}

Answer Answer::json(int status, const QJsonObject &body, QByteArrayView extraHeaders)
{
    return make(status, "application/json", QJsonDocument(body).toJson(QJsonDocument::Compact),
                extraHeaders);
}

Answer Answer::error(int status, const QString &code, const QString &message, int retryAfterSeconds,
                     QByteArrayView extraHeaders)
{
    QByteArray headers;
    if (retryAfterSeconds > 0)
        headers.append("Retry-After: ")
            .append(QByteArray::number(retryAfterSeconds))
            .append("\r\n");
    headers.append(extraHeaders);
    return json(status, {{QStringLiteral("error"), code}, {QStringLiteral("message"), message}},
                headers);
}

} // namespace flashsale::front
