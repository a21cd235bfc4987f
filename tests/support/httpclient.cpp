#include "httpclient.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace flashsale::test {

QNetworkReply *HttpClient::send(const QByteArray &verb, const QUrl &url, const QByteArray &body,
                                const QByteArray &authorization, const Headers &headers)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    request.setTransferTimeout(10'000);
    if (!authorization.isEmpty())
        request.setRawHeader("Authorization", authorization);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    return m_network.sendCustomRequest(request, verb, body);
}

HttpReply HttpClient::wait(QNetworkReply *reply)
{
    if (!reply->isFinished()) {
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
    }
    HttpReply r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.raw = reply->readAll();
    r.body = QJsonDocument::fromJson(r.raw).object();
    r.retryAfter = reply->rawHeader("Retry-After");
    reply->deleteLater();
    return r;
}

HttpReply HttpClient::call(const QByteArray &verb, const QUrl &url, const QByteArray &body,
                           const QByteArray &authorization, const Headers &headers)
{
    return wait(send(verb, url, body, authorization, headers));
}

HttpReply HttpClient::callJson(const QByteArray &verb, const QUrl &url, const QJsonObject &body,
                               const QByteArray &authorization)
{
    return call(verb, url, body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(),
                authorization);
}

} // namespace flashsale::test
