#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QPair>
#include <QUrl>

class QNetworkReply;

namespace flashsale::test {

/// One answer of HttpClient.
struct HttpReply
{
    int status = 0; ///< HTTP status, 0 when no answer came
    QJsonObject body; ///< the body as a JSON object (empty when it is not one)
    QByteArray raw; ///< the body as it came
    QByteArray retryAfter; ///< the Retry-After header, empty without one

    /// The `error` code of a JSON error body.
    QString error() const { return body.value(QStringLiteral("error")).toString(); }
};

/// The tests' HTTP client: JSON requests to a real server, each answer waited for in an
/// event loop (the server's output is read meanwhile), 10 s at most, so a hanging server
/// fails the test rather than the run.
class HttpClient
{
public:
    using Headers = QList<QPair<QByteArray, QByteArray>>;

    /// Sends \a verb \a url with \a body (as application/json) and \a authorization (the
    /// whole header value, e.g. "Bearer ..."), and waits for the answer.
    HttpReply call(const QByteArray &verb, const QUrl &url, const QByteArray &body = {},
                   const QByteArray &authorization = {}, const Headers &headers = {});
    /// The same with a JSON object as the body (none when \a body is empty).
    HttpReply callJson(const QByteArray &verb, const QUrl &url, const QJsonObject &body,
                       const QByteArray &authorization = {});

    /// Sends without waiting, for requests that must be in flight together; wait() for each.
    QNetworkReply *send(const QByteArray &verb, const QUrl &url, const QByteArray &body = {},
                        const QByteArray &authorization = {}, const Headers &headers = {});
    /// Waits for \a reply (from send()) and reads it; \a reply is deleted later.
    static HttpReply wait(QNetworkReply *reply);

    /// "Bearer " + \a token.
    static QByteArray bearer(const QString &token) { return "Bearer " + token.toUtf8(); }

    QNetworkAccessManager &network() { return m_network; }

private:
    QNetworkAccessManager m_network;
};

} // namespace flashsale::test
