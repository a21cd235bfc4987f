#pragma once

#include "database.h"
#include "httpclient.h"
#include "serverprocess.h"
#include "testservices.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSqlQuery>

namespace flashsale::test {

/// What the end-to-end tests need to drive real server processes over HTTP: calls with a
/// status and JSON body, the admin token, goods, sales and shoppers.
class ShopClient
{
public:
    static constexpr const char *adminToken = "admin-token-for-e2e";
    static constexpr const char *sessionSecret = "session-secret-for-e2e";

    using Reply = HttpReply;

    /// The arguments and environment every instance of one test shares (\a databaseUrl).
    static QStringList serverArgs(const QStringList &extra = {})
    {
        return QStringList {
                   QStringLiteral("--admin-token"),         QString::fromLatin1(adminToken),
                   QStringLiteral("--session-secret"),      QString::fromLatin1(sessionSecret),
                   QStringLiteral("--password-iterations"), QStringLiteral("1000")}
        + extra;
    }
    static QProcessEnvironment environment(const QString &databaseUrl)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("FLASHSALE_DATABASE_URL"), databaseUrl);
        env.insert(QStringLiteral("FLASHSALE_REDIS_URL"), TestServices::instance().redisUrl());
        env.insert(QStringLiteral("FLASHSALE_AMQP_URL"), TestServices::instance().amqpUrl());
        return env;
    }

    /// Goods ids from a random offset (see TestServices::offsetGoodsIds).
    static bool offsetGoodsIds(const QString &databaseUrl)
    {
        return TestServices::offsetGoodsIds(databaseUrl);
    }

    static qint64 now() { return QDateTime::currentMSecsSinceEpoch(); }
    static QString iso(qint64 ms)
    {
        return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
    }

    Reply call(const QByteArray &verb, const QUrl &url, const QByteArray &body = {},
               const QByteArray &authorization = {}, const HttpClient::Headers &headers = {})
    {
        return m_http.call(verb, url, body, authorization, headers);
    }

    Reply adminCall(const ServerProcess &server, const QByteArray &verb, const QString &path,
                    const QByteArray &body = {})
    {
        return call(verb, server.adminUrl().resolved(QUrl(path)), body,
                    QByteArray("Bearer ") + adminToken);
    }

    /// The state /healthz gives \a dependency ("up", "down"; empty when not listed).
    QString dependencyState(const ServerProcess &server, const QString &dependency)
    {
        return call("GET", server.baseUrl().resolved(QUrl(QStringLiteral("/healthz"))))
            .body.value(QStringLiteral("dependencies"))
            .toObject()
            .value(dependency)
            .toObject()
            .value(QStringLiteral("state"))
            .toString();
    }

    /// The admin API's `SaleStatus` of \a goodsId.
    QJsonObject saleStatus(const ServerProcess &server, qint64 goodsId)
    {
        return adminCall(server, "GET", QStringLiteral("/admin/sales/%1").arg(goodsId)).body;
    }

    /// A new product on sale now (live for an hour) with \a stock; its id, 0 on failure.
    qint64 liveSale(const ServerProcess &server, const QString &name, int stock)
    {
        const Reply goods =
            adminCall(server, "POST", QStringLiteral("/admin/goods"),
                      QJsonDocument(QJsonObject {{QStringLiteral("name"), name},
                                                 {QStringLiteral("priceCents"), 1000},
                                                 {QStringLiteral("flashPriceCents"), 100}})
                          .toJson());
        const qint64 id = goods.body.value(QStringLiteral("goodsId")).toInteger();
        if (goods.status != 201 || id <= 0)
            return 0;
        const qint64 t = now();
        const QJsonObject sale {{QStringLiteral("stock"), stock},
                                {QStringLiteral("revealAt"), iso(t - 2000)},
                                {QStringLiteral("startAt"), iso(t - 1000)},
                                {QStringLiteral("endAt"), iso(t + 3'600'000)},
                                {QStringLiteral("ratePerSecond"), 100'000},
                                {QStringLiteral("burst"), 10'000}};
        const Reply scheduled = adminCall(server, "PUT", QStringLiteral("/admin/sales/%1").arg(id),
                                          QJsonDocument(sale).toJson());
        return scheduled.status == 200 ? id : 0;
    }

    /// Signs \a username up and in; the Bearer header value, empty on failure.
    QByteArray shopper(const ServerProcess &server, const QString &username)
    {
        const QByteArray body =
            QJsonDocument(QJsonObject {{QStringLiteral("username"), username},
                                       {QStringLiteral("password"), QStringLiteral("secret-pw")}})
                .toJson();
        if (call("POST", server.baseUrl().resolved(QUrl(QStringLiteral("/api/users"))), body).status
            != 201)
            return {};
        const Reply session =
            call("POST", server.baseUrl().resolved(QUrl(QStringLiteral("/api/sessions"))), body);
        const QString token = session.body.value(QStringLiteral("token")).toString();
        return token.isEmpty() ? QByteArray() : "Bearer " + token.toLatin1();
    }

    /// The buy URL of \a goodsId for the shopper \a bearer (path asked first).
    QUrl buyUrl(const ServerProcess &server, qint64 goodsId, const QByteArray &bearer)
    {
        const Reply path =
            call("GET",
                 server.baseUrl().resolved(QUrl(QStringLiteral("/api/sales/%1/path").arg(goodsId))),
                 {}, bearer);
        return server.baseUrl().resolved(
            QUrl(QStringLiteral("/api/sales/%1/%2/orders")
                     .arg(goodsId)
                     .arg(path.body.value(QStringLiteral("path")).toString())));
    }

private:
    HttpClient m_http;
};

} // namespace flashsale::test
