// The shopper and admin APIs over real HTTP against a real server process and PostgreSQL:
// bad input and security on every route, concurrent sign-ups, the sale window and path,
// config reaching a second instance, the live WebSocket.

#include "database.h"
#include "httpclient.h"
#include "serverprocess.h"
#include "sessiontokens.h"
#include "testservices.h"

#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>
#include <QWebSocket>

using namespace flashsale;
using flashsale::test::ServerProcess;
using flashsale::test::TestServices;

namespace {
const QByteArray adminToken = "admin-token-for-tests";
const QByteArray sessionSecret = "session-secret-for-tests";

QByteArray j(const char *text)
{
    return QByteArray(text).replace('\'', '"');
}

QString iso(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}
} // namespace

class tst_HttpApi : public QObject
{
    Q_OBJECT

public:
    using Reply = test::HttpReply;

private:
    test::HttpClient m_http;
    ServerProcess m_server;
    QString m_databaseUrl;
    QString m_token; // a shopper's session token
    qint64 m_userId = 0;

    QUrl shop(const QString &path) const { return m_server.baseUrl().resolved(QUrl(path)); }
    QUrl admin(const QString &path) const { return m_server.adminUrl().resolved(QUrl(path)); }

    QNetworkReply *send(const QByteArray &verb, const QUrl &url, const QByteArray &body,
                        const QByteArray &authorization)
    {
        return m_http.send(verb, url, body, authorization);
    }

    static Reply wait(QNetworkReply *reply) { return test::HttpClient::wait(reply); }

    Reply call(const QByteArray &verb, const QUrl &url, const QByteArray &body = {},
               const QByteArray &authorization = {})
    {
        return m_http.call(verb, url, body, authorization);
    }

    Reply adminCall(const QByteArray &verb, const QString &path, const QByteArray &body = {})
    {
        return call(verb, admin(path), body, "Bearer " + adminToken);
    }

    QByteArray bearer() const { return "Bearer " + m_token.toLatin1(); }

    qint64 createGoods(const QString &name)
    {
        const Reply r = adminCall(
            "POST", QStringLiteral("/admin/goods"),
            QString::fromLatin1(j("{'name':'%1','priceCents':1000,'flashPriceCents':100}"))
                .arg(name)
                .toUtf8());
        if (r.status != 201)
            qWarning() << r.raw;
        return r.body.value(QStringLiteral("goodsId")).toInteger();
    }

    Reply schedule(qint64 goodsId, qint64 revealAt, qint64 startAt, qint64 endAt, int stock = 50,
                   double rate = 1000, int burst = 100)
    {
        const QJsonObject body {
            {QStringLiteral("stock"), stock},          {QStringLiteral("revealAt"), iso(revealAt)},
            {QStringLiteral("startAt"), iso(startAt)}, {QStringLiteral("endAt"), iso(endAt)},
            {QStringLiteral("ratePerSecond"), rate},   {QStringLiteral("burst"), burst}};
        return adminCall("PUT", QStringLiteral("/admin/sales/%1").arg(goodsId),
                         QJsonDocument(body).toJson());
    }

    qint64 count(const QString &table)
    {
        const auto url = db::DatabaseUrl::parse(m_databaseUrl);
        qint64 n = -1;
        {
            const auto opened = db::openDatabase(url.value(), QStringLiteral("test-count"));
            if (!opened)
                return -1;
            QSqlQuery q(opened.value());
            if (q.exec(QStringLiteral("SELECT count(*) FROM ") + table) && q.next())
                n = q.value(0).toLongLong();
        }
        db::closeDatabase(QStringLiteral("test-count"));
        return n;
    }

    qint64 insertOrder(qint64 userId, qint64 goodsId, const QString &reservation)
    {
        // What the order worker does for an accepted reservation.
        const auto url = db::DatabaseUrl::parse(m_databaseUrl);
        qint64 id = -1;
        {
            const auto opened = db::openDatabase(url.value(), QStringLiteral("test-order"));
            if (!opened)
                return -1;
            QSqlQuery q(opened.value());
            q.prepare(QStringLiteral("INSERT INTO miaosha_order (user_id, goods_id, reservation, "
                                     "price_cents) VALUES (?, ?, ?, 100) RETURNING id"));
            q.addBindValue(userId);
            q.addBindValue(goodsId);
            q.addBindValue(reservation);
            if (q.exec() && q.next())
                id = q.value(0).toLongLong();
        }
        db::closeDatabase(QStringLiteral("test-order"));
        return id;
    }

    QStringList serverArgs() const
    {
        // The API role only: these tests write the orders a worker would make themselves,
        // and a worker of the same process would race them for each reservation.
        return {QStringLiteral("--role"), QStringLiteral("api"), QStringLiteral("--admin-token"),
                QString::fromLatin1(adminToken), QStringLiteral("--session-secret"),
                QString::fromLatin1(sessionSecret), QStringLiteral("--password-iterations"),
                QStringLiteral("1000"), QStringLiteral("--http-threads"), QStringLiteral("2"),
                // Far slower than the second the tests allow a change to reach another
                // instance: only the Redis announcement can bring it that fast.
                QStringLiteral("--config-refresh"), QStringLiteral("60000")};
    }

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("FLASHSALE_DATABASE_URL"), m_databaseUrl);
        env.insert(QStringLiteral("FLASHSALE_REDIS_URL"), TestServices::instance().redisUrl());
        env.insert(QStringLiteral("FLASHSALE_AMQP_URL"), TestServices::instance().amqpUrl());
        return env;
    }

    // The server answers after each bad request: nothing killed it.
    void expectAlive()
    {
        const Reply sales = call("GET", shop(QStringLiteral("/api/sales")));
        QCOMPARE(sales.status, 200);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_databaseUrl = TestServices::instance().createDatabase();
        QVERIFY2(m_server.start(serverArgs(), environment()), qPrintable(m_server.output()));
        QVERIFY(m_server.adminUrl().isValid());
        QVERIFY(TestServices::offsetGoodsIds(m_databaseUrl));
        QCOMPARE(call("POST", shop(QStringLiteral("/api/users")),
                      j("{'username':'ann','password':'secret-pw'}"))
                     .status,
                 201);
        const Reply session = call("POST", shop(QStringLiteral("/api/sessions")),
                                   j("{'username':'ann','password':'secret-pw'}"));
        QCOMPARE(session.status, 200);
        m_token = session.body.value(QStringLiteral("token")).toString();
        m_userId = session.body.value(QStringLiteral("userId")).toInteger();
        QVERIFY(!m_token.isEmpty());
        QVERIFY(session.body.value(QStringLiteral("expiresAt")).toString().endsWith(u'Z'));
    }

    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }

    void badInput_data()
    {
        QTest::addColumn<bool>("onAdmin");
        QTest::addColumn<QByteArray>("verb");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("auth"); // "shopper", "admin", "forged", "expired", raw
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");

        const QByteArray huge(100 * 1024, 'x');
        const QByteArray enormous(400 * 1024, 'x');
        const QByteArray goods = j("{'name':'P','priceCents':10,'flashPriceCents':1}");
        const QByteArray schedule =
            j("{'stock':5,'revealAt':'2030-01-01T00:00:00Z','startAt':'2030-01-01T01:00:00Z',"
              "'endAt':'2030-01-01T02:00:00Z','ratePerSecond':10,'burst':1}");
        // Shopper routes
        QTest::newRow("users: not json")
            << false << QByteArray("POST") << "/api/users" << QByteArray("{") << QByteArray() << 400
            << "invalid_json";
        QTest::newRow("users: array") << false << QByteArray("POST") << "/api/users"
                                      << QByteArray("[]") << QByteArray() << 400 << "invalid_json";
        QTest::newRow("users: missing password")
            << false << QByteArray("POST") << "/api/users" << j("{'username':'bob'}")
            << QByteArray() << 400 << "invalid";
        QTest::newRow("users: wrong type")
            << false << QByteArray("POST") << "/api/users"
            << j("{'username':['bob'],'password':'secret-pw'}") << QByteArray() << 400 << "invalid";
        QTest::newRow("users: too large") << false << QByteArray("POST") << "/api/users" << huge
                                          << QByteArray() << 413 << "too_large";
        QTest::newRow("users: far too large") << false << QByteArray("POST") << "/api/users"
                                              << enormous << QByteArray() << 413 << "too_large";
        QTest::newRow("users: GET") << false << QByteArray("GET") << "/api/users" << QByteArray()
                                    << QByteArray() << 405 << "method_not_allowed";
        QTest::newRow("sessions: wrong password") << false << QByteArray("POST") << "/api/sessions"
                                                  << j("{'username':'ann','password':'wrong-pw!'}")
                                                  << QByteArray() << 401 << "bad_credentials";
        QTest::newRow("sessions: unknown user") << false << QByteArray("POST") << "/api/sessions"
                                                << j("{'username':'nobody','password':'wrong-pw!'}")
                                                << QByteArray() << 401 << "bad_credentials";
        QTest::newRow("sessions: null")
            << false << QByteArray("POST") << "/api/sessions" << QByteArray("null") << QByteArray()
            << 400 << "invalid_json";
        QTest::newRow("sale: not a number") << false << QByteArray("GET") << "/api/sales/abc"
                                            << QByteArray() << QByteArray() << 404 << "not_found";
        QTest::newRow("sale: unknown") << false << QByteArray("GET") << "/api/sales/999999"
                                       << QByteArray() << QByteArray() << 404 << "not_found";
        QTest::newRow("sale: DELETE")
            << false << QByteArray("DELETE") << "/api/sales/1" << QByteArray() << QByteArray()
            << 405 << "method_not_allowed";
        QTest::newRow("path: no token") << false << QByteArray("GET") << "/api/sales/1/path"
                                        << QByteArray() << QByteArray() << 401 << "unauthorized";
        QTest::newRow("path: forged token")
            << false << QByteArray("GET") << "/api/sales/1/path" << QByteArray()
            << QByteArray("forged") << 401 << "unauthorized";
        QTest::newRow("path: expired token")
            << false << QByteArray("GET") << "/api/sales/1/path" << QByteArray()
            << QByteArray("expired") << 401 << "unauthorized";
        QTest::newRow("path: basic auth")
            << false << QByteArray("GET") << "/api/sales/1/path" << QByteArray()
            << QByteArray("Basic YTpi") << 401 << "unauthorized";
        QTest::newRow("buy: no token") << false << QByteArray("POST") << "/api/sales/1/abc/orders"
                                       << QByteArray() << QByteArray() << 401 << "unauthorized";
        QTest::newRow("buy: GET") << false << QByteArray("GET") << "/api/sales/1/abc/orders"
                                  << QByteArray() << QByteArray("shopper") << 405
                                  << "method_not_allowed";
        QTest::newRow("unknown route") << false << QByteArray("GET") << "/api/nothing"
                                       << QByteArray() << QByteArray() << 404 << "not_found";
        QTest::newRow("admin on shopper port")
            << false << QByteArray("GET") << "/admin/goods" << QByteArray() << QByteArray("admin")
            << 404 << "not_found";
        QTest::newRow("admin write on shopper port")
            << false << QByteArray("POST") << "/admin/goods" << goods << QByteArray("admin") << 404
            << "not_found";
        // Admin routes
        QTest::newRow("admin: no token") << true << QByteArray("POST") << "/admin/goods" << goods
                                         << QByteArray() << 401 << "unauthorized";
        QTest::newRow("admin: wrong token") << true << QByteArray("POST") << "/admin/goods" << goods
                                            << QByteArray("Bearer nope") << 401 << "unauthorized";
        QTest::newRow("admin: shopper token")
            << true << QByteArray("GET") << "/admin/stats" << QByteArray() << QByteArray("shopper")
            << 401 << "unauthorized";
        QTest::newRow("admin: token prefix")
            << true << QByteArray("GET") << "/admin/stats" << QByteArray()
            << "Bearer " + adminToken.left(5) << 401 << "unauthorized";
        QTest::newRow("goods: bad json")
            << true << QByteArray("POST") << "/admin/goods" << QByteArray("{]")
            << QByteArray("admin") << 400 << "invalid_json";
        QTest::newRow("goods: missing name") << true << QByteArray("POST") << "/admin/goods"
                                             << j("{'priceCents':10,'flashPriceCents':1}")
                                             << QByteArray("admin") << 400 << "invalid";
        QTest::newRow("goods: negative price")
            << true << QByteArray("POST") << "/admin/goods"
            << j("{'name':'P','priceCents':-10,'flashPriceCents':1}") << QByteArray("admin") << 400
            << "invalid";
        QTest::newRow("goods: too large") << true << QByteArray("POST") << "/admin/goods" << huge
                                          << QByteArray("admin") << 413 << "too_large";
        QTest::newRow("goods: unknown id") << true << QByteArray("PUT") << "/admin/goods/999999"
                                           << goods << QByteArray("admin") << 404 << "not_found";
        QTest::newRow("goods: DELETE")
            << true << QByteArray("DELETE") << "/admin/goods/1" << QByteArray()
            << QByteArray("admin") << 405 << "method_not_allowed";
        QTest::newRow("sales: unknown id") << true << QByteArray("PUT") << "/admin/sales/999999"
                                           << schedule << QByteArray("admin") << 404 << "not_found";
        QTest::newRow("sales: reveal after start")
            << true << QByteArray("PUT") << "/admin/sales/1"
            << j("{'stock':5,'revealAt':'2030-01-01T03:00:00Z','startAt':'2030-01-01T01:00:00Z',"
                 "'endAt':'2030-01-01T02:00:00Z','ratePerSecond':10,'burst':1}")
            << QByteArray("admin") << 400 << "invalid";
        QTest::newRow("sales: no zone")
            << true << QByteArray("PUT") << "/admin/sales/1"
            << j("{'stock':5,'revealAt':'2030-01-01T00:00:00','startAt':'2030-01-01T01:00:00Z',"
                 "'endAt':'2030-01-01T02:00:00Z','ratePerSecond':10,'burst':1}")
            << QByteArray("admin") << 400 << "invalid";
        QTest::newRow("stock: zero") << true << QByteArray("POST") << "/admin/sales/1/stock"
                                     << j("{'add':0}") << QByteArray("admin") << 400 << "invalid";
        QTest::newRow("rate: negative")
            << true << QByteArray("PUT") << "/admin/sales/1/rate"
            << j("{'ratePerSecond':-1,'burst':1}") << QByteArray("admin") << 400 << "invalid";
        QTest::newRow("degradation: bad scope")
            << true << QByteArray("PUT") << "/admin/degradation"
            << j("{'scope':'everything','on':true}") << QByteArray("admin") << 400 << "invalid";
        QTest::newRow("degradation: unknown goods")
            << true << QByteArray("PUT") << "/admin/degradation" << j("{'scope':999999,'on':true}")
            << QByteArray("admin") << 404 << "not_found";
        QTest::newRow("payment: no token") << false << QByteArray("POST") << "/api/orders/1/payment"
                                           << QByteArray() << QByteArray() << 401 << "unauthorized";
        QTest::newRow("payment: GET")
            << false << QByteArray("GET") << "/api/orders/1/payment" << QByteArray()
            << QByteArray("shopper") << 405 << "method_not_allowed";
        QTest::newRow("cancel: forged token")
            << false << QByteArray("DELETE") << "/api/orders/1" << QByteArray()
            << QByteArray("forged") << 401 << "unauthorized";
        QTest::newRow("order: not a number")
            << false << QByteArray("DELETE") << "/api/orders/x" << QByteArray()
            << QByteArray("shopper") << 404 << "not_found";
        QTest::newRow("admin: unknown route")
            << true << QByteArray("GET") << "/admin/nothing" << QByteArray() << QByteArray("admin")
            << 404 << "not_found";
    }

    void badInput()
    {
        QFETCH(bool, onAdmin);
        QFETCH(QByteArray, verb);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, auth);
        QFETCH(int, status);
        QFETCH(QString, error);

        if (auth == "shopper")
            auth = bearer();
        else if (auth == "admin")
            auth = "Bearer " + adminToken;
        else if (auth == "forged")
            auth = "Bearer "
                + users::SessionTokens("not-our-secret", 3600).issue(m_userId, now()).toLatin1();
        else if (auth == "expired")
            auth = "Bearer "
                + users::SessionTokens(sessionSecret, 60)
                      .issue(m_userId, now() - 120'000)
                      .toLatin1();

        const qint64 goodsBefore = count(QStringLiteral("goods"));
        const qint64 usersBefore = count(QStringLiteral("users"));
        const qint64 auditBefore = count(QStringLiteral("admin_audit"));

        const Reply r = call(verb, onAdmin ? admin(path) : shop(path), body, auth);
        QVERIFY2(r.status == status,
                 qPrintable(QStringLiteral("%1: %2").arg(r.status).arg(QString::fromUtf8(r.raw))));
        QCOMPARE(r.error(), error);
        QVERIFY2(!r.body.value(QStringLiteral("message")).toString().isEmpty(), r.raw.constData());
        expectAlive();
        // Nothing was written.
        QCOMPARE(count(QStringLiteral("goods")), goodsBefore);
        QCOMPARE(count(QStringLiteral("users")), usersBefore);
        QCOMPARE(count(QStringLiteral("admin_audit")), auditBefore);
    }

    void concurrentSignUps()
    {
        // 40 shoppers race for one name: exactly one gets it. 40 others each get theirs.
        QList<QNetworkReply *> same;
        QList<QNetworkReply *> distinct;
        for (int i = 0; i < 40; ++i) {
            same.append(send("POST", shop(QStringLiteral("/api/users")),
                             j("{'username':'contested','password':'secret-pw'}"), {}));
            distinct.append(
                send("POST", shop(QStringLiteral("/api/users")),
                     QString::fromLatin1(j("{'username':'racer%1','password':'secret-pw'}"))
                         .arg(i)
                         .toUtf8(),
                     {}));
        }
        int created = 0;
        int taken = 0;
        for (QNetworkReply *reply : same) {
            const Reply r = wait(reply);
            created += r.status == 201;
            taken += r.status == 409 && r.error() == u"taken";
        }
        QCOMPARE(created, 1);
        QCOMPARE(taken, 39);
        QSet<qint64> ids;
        for (QNetworkReply *reply : distinct) {
            const Reply r = wait(reply);
            QCOMPARE(r.status, 201);
            ids.insert(r.body.value(QStringLiteral("userId")).toInteger());
        }
        QCOMPARE(ids.size(), 40);
    }

    void adminGoodsSalesAndAudit()
    {
        const qint64 auditBefore = count(QStringLiteral("admin_audit"));
        const qint64 id = createGoods(QStringLiteral("Kettle"));
        QVERIFY(id > 0);
        Reply r = adminCall("GET", QStringLiteral("/admin/goods/%1").arg(id));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body.value(QStringLiteral("name")).toString(), QStringLiteral("Kettle"));
        r = adminCall("PUT", QStringLiteral("/admin/goods/%1").arg(id),
                      j("{'name':'Kettle 2','description':'d','image':'/k.png','priceCents':2000,"
                        "'flashPriceCents':150}"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body.value(QStringLiteral("flashPriceCents")).toInteger(), 150);
        r = adminCall("GET", QStringLiteral("/admin/goods"));
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.value(QStringLiteral("goods")).toArray().size() >= 1);

        r = adminCall("GET", QStringLiteral("/admin/sales/%1").arg(id));
        QCOMPARE(r.body.value(QStringLiteral("state")).toString(), QStringLiteral("draft"));
        r = adminCall("POST", QStringLiteral("/admin/sales/%1/stock").arg(id), j("{'add':5}"));
        QCOMPARE(r.status, 409); // no sale to top up yet

        const qint64 t = now();
        r = schedule(id, t + 3'600'000, t + 7'200'000, t + 10'800'000, 20, 50, 5);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body.value(QStringLiteral("state")).toString(), QStringLiteral("scheduled"));
        QCOMPARE(r.body.value(QStringLiteral("preloadedStock")).toInteger(), 20);
        QCOMPARE(r.body.value(QStringLiteral("burst")).toInteger(), 5);
        r = adminCall("POST", QStringLiteral("/admin/sales/%1/stock").arg(id), j("{'add':5}"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body.value(QStringLiteral("preloadedStock")).toInteger(), 25);
        r = adminCall("PUT", QStringLiteral("/admin/sales/%1/rate").arg(id),
                      j("{'ratePerSecond':7.5,'burst':3}"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body.value(QStringLiteral("ratePerSecond")).toDouble(), 7.5);

        r = adminCall("GET", QStringLiteral("/admin/sales"));
        QCOMPARE(r.status, 200);
        bool listed = false;
        for (const QJsonValue v : r.body.value(QStringLiteral("sales")).toArray())
            listed = listed || v.toObject().value(QStringLiteral("goodsId")).toInteger() == id;
        QVERIFY(listed);

        // create, update, schedule, stock, rate: five audited actions (the 409 is not one).
        QCOMPARE(count(QStringLiteral("admin_audit")), auditBefore + 5);
    }

    void challengeBitsAreStoredAndShown()
    {
        const qint64 id = createGoods(QStringLiteral("Lamp"));
        const qint64 t = now();
        const QByteArray times = QByteArray("{\"stock\":5,\"revealAt\":\"") + iso(t).toLatin1()
            + "\",\"startAt\":\"" + iso(t + 60'000).toLatin1() + "\",\"endAt\":\""
            + iso(t + 120'000).toLatin1() + "\",\"ratePerSecond\":10,\"burst\":1";
        Reply r = adminCall("PUT", QStringLiteral("/admin/sales/%1").arg(id),
                            times + ",\"challengeBits\":20}");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body.value(QStringLiteral("challengeBits")).toInt(), 20);
        r = adminCall("GET", QStringLiteral("/admin/sales/%1").arg(id));
        QCOMPARE(r.body.value(QStringLiteral("challengeBits")).toInt(), 20);
        // Shoppers' pages learn that they must solve one before asking for the path.
        QTRY_COMPARE(call("GET", shop(QStringLiteral("/api/sales/%1").arg(id)))
                         .body.value(QStringLiteral("challengeBits"))
                         .toInt(-1),
                     20);
        r = adminCall("PUT", QStringLiteral("/admin/sales/%1").arg(id),
                      times + ",\"challengeBits\":25}");
        QCOMPARE(r.status, 400);
        QCOMPARE(r.error(), QStringLiteral("invalid"));
        // Left out, it is 0: no challenge.
        r = adminCall("PUT", QStringLiteral("/admin/sales/%1").arg(id), times + "}");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body.value(QStringLiteral("challengeBits")).toInt(-1), 0);
    }

    void pathOnlyFromTheRevealOn()
    {
        const qint64 id = createGoods(QStringLiteral("Lamp"));
        const qint64 t = now();
        QCOMPARE(schedule(id, t + 3'600'000, t + 7'200'000, t + 10'800'000).status, 200);
        const QString pathUrl = QStringLiteral("/api/sales/%1/path").arg(id);
        QTRY_COMPARE_WITH_TIMEOUT(call("GET", shop(QStringLiteral("/api/sales/%1").arg(id))).status,
                                  200, 2000);
        Reply r = call("GET", shop(pathUrl), {}, bearer());
        QCOMPARE(r.status, 403);
        QCOMPARE(r.error(), QStringLiteral("not_revealed"));
        QVERIFY(!r.raw.contains("path\""));

        QCOMPARE(schedule(id, t - 1000, t + 7'200'000, t + 10'800'000).status, 200);
        r = call("GET", shop(pathUrl), {}, bearer());
        QCOMPARE(r.status, 200);
        const QString path = r.body.value(QStringLiteral("path")).toString();
        QCOMPARE(path.size(), 32);

        // Revealed but not started: even the right path is refused for now.
        r = call("POST", shop(QStringLiteral("/api/sales/%1/%2/orders").arg(id).arg(path)), {},
                 bearer());
        QCOMPARE(r.status, 403);
        QCOMPARE(r.error(), QStringLiteral("not_started"));

        const Reply sale = call("GET", shop(QStringLiteral("/api/sales/%1").arg(id)));
        QCOMPARE(sale.body.value(QStringLiteral("state")).toString(), QStringLiteral("revealed"));
        QVERIFY(!sale.raw.contains("ecret"));
    }

    void liveSaleRefusesForgedPathsAndEndedSales()
    {
        const qint64 id = createGoods(QStringLiteral("Chair"));
        const qint64 t = now();
        QCOMPARE(schedule(id, t - 2000, t - 1000, t + 3'600'000).status, 200);
        const Reply p =
            call("GET", shop(QStringLiteral("/api/sales/%1/path").arg(id)), {}, bearer());
        QCOMPARE(p.status, 200);
        const QString path = p.body.value(QStringLiteral("path")).toString();
        QString forged = path;
        forged[0] = forged[0] == u'a' ? u'b' : u'a';
        for (const QString &bad :
             {forged, QStringLiteral("x"), QString(32, u'0'), path.toUpper()}) {
            const Reply r =
                call("POST", shop(QStringLiteral("/api/sales/%1/%2/orders").arg(id).arg(bad)), {},
                     bearer());
            QVERIFY2(r.status == 404, r.raw.constData());
            QCOMPARE(r.error(), QStringLiteral("not_found"));
        }
        // Another shopper's path is not this shopper's.
        QCOMPARE(call("POST", shop(QStringLiteral("/api/users")),
                      j("{'username':'cat','password':'secret-pw'}"))
                     .status,
                 201);
        const Reply cat = call("POST", shop(QStringLiteral("/api/sessions")),
                               j("{'username':'cat','password':'secret-pw'}"));
        const Reply stolen =
            call("POST", shop(QStringLiteral("/api/sales/%1/%2/orders").arg(id).arg(path)), {},
                 "Bearer " + cat.body.value(QStringLiteral("token")).toString().toLatin1());
        QCOMPARE(stolen.status, 404);

        // A live sale keeps its reveal and start; an end already past ends it at once.
        QCOMPARE(schedule(id, t - 2000, t - 1000, t - 500).status, 200);
        const Reply ended =
            call("POST", shop(QStringLiteral("/api/sales/%1/%2/orders").arg(id).arg(path)), {},
                 bearer());
        QCOMPARE(ended.status, 410);
        QCOMPARE(ended.error(), QStringLiteral("ended"));
    }

    void aLiveSaleKeepsItsRevealStartAndStock()
    {
        const qint64 id = createGoods(QStringLiteral("Stool"));
        const qint64 t = now();
        QCOMPARE(schedule(id, t - 2000, t - 1000, t + 3'600'000, 10).status, 200);
        const qint64 auditBefore = count(QStringLiteral("admin_audit"));

        // Back to scheduled: refused, naming the field.
        Reply r = schedule(id, t + 300'000, t + 600'000, t + 3'600'000, 10);
        QCOMPARE(r.status, 409);
        QCOMPARE(r.error(), QStringLiteral("locked"));
        QVERIFY2(r.body.value(QStringLiteral("message")).toString().contains(u"startAt"),
                 r.raw.constData());
        QVERIFY2(r.body.value(QStringLiteral("message")).toString().contains(u"revealAt"),
                 r.raw.constData());
        // A new stock: refused, the top-up named.
        r = schedule(id, t - 2000, t - 1000, t + 3'600'000, 150);
        QCOMPARE(r.status, 409);
        QVERIFY2(r.body.value(QStringLiteral("message")).toString().contains(u"/stock"),
                 r.raw.constData());
        r = adminCall("GET", QStringLiteral("/admin/sales/%1").arg(id));
        QCOMPARE(r.body.value(QStringLiteral("state")).toString(), QStringLiteral("live"));
        QCOMPARE(r.body.value(QStringLiteral("startAt")).toString(), iso(t - 1000));
        QCOMPARE(r.body.value(QStringLiteral("preloadedStock")).toInteger(), 10);

        // The end, rate and burst move; the sale stays live with its stock.
        r = schedule(id, t - 2000, t - 1000, t + 7'200'000, 10, 2, 1);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body.value(QStringLiteral("state")).toString(), QStringLiteral("live"));
        QCOMPARE(r.body.value(QStringLiteral("endAt")).toString(), iso(t + 7'200'000));
        QCOMPARE(r.body.value(QStringLiteral("preloadedStock")).toInteger(), 10);
        QCOMPARE(r.body.value(QStringLiteral("stockLeft")).toInteger(), 10);
        QCOMPARE(r.body.value(QStringLiteral("burst")).toInteger(), 1);
        QCOMPARE(count(QStringLiteral("admin_audit")), auditBefore + 1); // refusals unaudited

        // Revealed: the reveal stays, the start and the stock (none sold) may change.
        const qint64 other = createGoods(QStringLiteral("Bench"));
        QCOMPARE(schedule(other, t - 1000, t + 3'600'000, t + 7'200'000, 20).status, 200);
        r = schedule(other, t + 1'800'000, t + 3'600'000, t + 7'200'000, 20);
        QCOMPARE(r.status, 409);
        r = schedule(other, t - 1000, t + 1'800'000, t + 7'200'000, 30);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body.value(QStringLiteral("state")).toString(), QStringLiteral("revealed"));
        QCOMPARE(r.body.value(QStringLiteral("preloadedStock")).toInteger(), 30);
        QCOMPARE(r.body.value(QStringLiteral("stockLeft")).toInteger(), 30);
    }

    void soldOutProductAnswersAtOnce()
    {
        const qint64 id = createGoods(QStringLiteral("Sofa"));
        const qint64 t = now();
        QCOMPARE(schedule(id, t - 2000, t - 1000, t + 3'600'000, 0).status, 200);
        const Reply p =
            call("GET", shop(QStringLiteral("/api/sales/%1/path").arg(id)), {}, bearer());
        const QUrl buy = shop(QStringLiteral("/api/sales/%1/%2/orders")
                                  .arg(id)
                                  .arg(p.body.value(QStringLiteral("path")).toString()));
        QTRY_COMPARE_WITH_TIMEOUT(call("POST", buy, {}, bearer()).error(),
                                  QStringLiteral("sold_out"), 2000);
        const Reply r = call("POST", buy, {}, bearer());
        QCOMPARE(r.status, 410);
        QCOMPARE(call("GET", shop(QStringLiteral("/api/sales/%1").arg(id)))
                     .body.value(QStringLiteral("state"))
                     .toString(),
                 QStringLiteral("sold_out"));
    }

    void ownOrdersOnlyPayAndCancel()
    {
        const qint64 id = createGoods(QStringLiteral("Rug"));
        const qint64 t = now();
        QCOMPARE(schedule(id, t - 2000, t - 1000, t + 3'600'000, 0).status, 200);
        const QUrl me = shop(QStringLiteral("/api/sales/%1/orders/me").arg(id));
        Reply r = call("GET", me, {}, bearer());
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body.value(QStringLiteral("status")).toString(), QStringLiteral("none"));
        QCOMPARE(call("GET", me).status, 401);

        const qint64 orderId = insertOrder(m_userId, id, QStringLiteral("r-test-%1").arg(id));
        QVERIFY(orderId > 0);
        r = call("GET", me, {}, bearer());
        QCOMPARE(r.body.value(QStringLiteral("status")).toString(), QStringLiteral("created"));
        QCOMPARE(r.body.value(QStringLiteral("orderId")).toInteger(), orderId);

        // Someone else's order does not exist for this shopper.
        QCOMPARE(call("POST", shop(QStringLiteral("/api/users")),
                      j("{'username':'dan','password':'secret-pw'}"))
                     .status,
                 201);
        const QByteArray dan = "Bearer "
            + call("POST", shop(QStringLiteral("/api/sessions")),
                   j("{'username':'dan','password':'secret-pw'}"))
                  .body.value(QStringLiteral("token"))
                  .toString()
                  .toLatin1();
        const QUrl payment = shop(QStringLiteral("/api/orders/%1/payment").arg(orderId));
        const QUrl order = shop(QStringLiteral("/api/orders/%1").arg(orderId));
        QCOMPARE(call("POST", payment, {}, dan).status, 404);
        QCOMPARE(call("DELETE", order, {}, dan).status, 404);
        QCOMPARE(call("POST", payment).status, 401);
        QCOMPARE(
            call("POST", shop(QStringLiteral("/api/orders/999999/payment")), {}, bearer()).status,
            404);

        r = call("POST", payment, {}, bearer());
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body.value(QStringLiteral("status")).toString(), QStringLiteral("paid"));
        QVERIFY(r.body.contains(QStringLiteral("paidAt")));
        // Paying again (a client's retry) answers the same; a paid order is not cancelled.
        r = call("POST", payment, {}, bearer());
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body.value(QStringLiteral("status")).toString(), QStringLiteral("paid"));
        r = call("DELETE", order, {}, bearer());
        QCOMPARE(r.status, 409);
        QCOMPARE(r.error(), QStringLiteral("not_cancellable"));

        // An unpaid order of another product is cancelled and its unit goes back on sale,
        // in Redis too. The last unit is reserved through the API (which sells it out), and
        // the order the worker would make from it is written here.
        const qint64 other = createGoods(QStringLiteral("Vase"));
        QCOMPARE(schedule(other, t - 2000, t - 1000, t + 3'600'000, 1).status, 200);
        const QString otherPath =
            call("GET", shop(QStringLiteral("/api/sales/%1/path").arg(other)), {}, bearer())
                .body.value(QStringLiteral("path"))
                .toString();
        const QUrl otherBuy =
            shop(QStringLiteral("/api/sales/%1/%2/orders").arg(other).arg(otherPath));
        // Not QTRY: it would buy once more to compare. 503 while Redis loads the stock.
        Reply bought = call("POST", otherBuy, {}, bearer());
        for (int i = 0; i < 100 && bought.status == 503; ++i) {
            QTest::qWait(20);
            bought = call("POST", otherBuy, {}, bearer());
        }
        QCOMPARE(bought.status, 202);
        QCOMPARE(adminCall("GET", QStringLiteral("/admin/sales/%1").arg(other))
                     .body.value(QStringLiteral("pending"))
                     .toInteger(),
                 1);
        const qint64 unpaid = insertOrder(m_userId, other, QStringLiteral("r-test-%1").arg(other));
        const QUrl otherSale = shop(QStringLiteral("/api/sales/%1").arg(other));
        QTRY_COMPARE_WITH_TIMEOUT(
            call("GET", otherSale).body.value(QStringLiteral("state")).toString(),
            QStringLiteral("sold_out"), 2000);
        r = call("DELETE", shop(QStringLiteral("/api/orders/%1").arg(unpaid)), {}, bearer());
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body.value(QStringLiteral("status")).toString(), QStringLiteral("cancelled"));
        QTRY_COMPARE_WITH_TIMEOUT(
            call("GET", otherSale).body.value(QStringLiteral("state")).toString(),
            QStringLiteral("live"), 2000);
        // The unit is back in Redis, where the admin API reads stock and reservations.
        const Reply status = adminCall("GET", QStringLiteral("/admin/sales/%1").arg(other));
        QCOMPARE(status.body.value(QStringLiteral("stockLeft")).toInteger(), 1);
        QCOMPARE(status.body.value(QStringLiteral("pending")).toInteger(), 0);
    }

    void buyReservesExactlyTheStock()
    {
        // 12 shoppers, stock 4, all at once: exactly 4 reservations (positions 1..4), the
        // rest sold out; a second try is a duplicate (or too frequent), never a second unit.
        const qint64 id = createGoods(QStringLiteral("Bike"));
        const qint64 t = now();
        QCOMPARE(schedule(id, t - 2000, t - 1000, t + 3'600'000, 4).status, 200);
        QList<QByteArray> tokens;
        QList<QUrl> buys;
        for (int i = 0; i < 12; ++i) {
            const QByteArray body =
                QString::fromLatin1(j("{'username':'buyer%1','password':'secret-pw'}"))
                    .arg(i)
                    .toUtf8();
            QCOMPARE(call("POST", shop(QStringLiteral("/api/users")), body).status, 201);
            const QByteArray token = "Bearer "
                + call("POST", shop(QStringLiteral("/api/sessions")), body)
                      .body.value(QStringLiteral("token"))
                      .toString()
                      .toLatin1();
            const QString path =
                call("GET", shop(QStringLiteral("/api/sales/%1/path").arg(id)), {}, token)
                    .body.value(QStringLiteral("path"))
                    .toString();
            tokens.append(token);
            buys.append(shop(QStringLiteral("/api/sales/%1/%2/orders").arg(id).arg(path)));
        }
        QList<QNetworkReply *> replies;
        for (int i = 0; i < 12; ++i)
            replies.append(send("POST", buys[i], {}, tokens[i]));
        QSet<QString> reservations;
        QSet<qint64> positions;
        int soldOut = 0;
        int winner = -1;
        for (int i = 0; i < 12; ++i) {
            const Reply r = wait(replies[i]);
            if (r.status == 202) {
                QCOMPARE(r.body.value(QStringLiteral("status")).toString(),
                         QStringLiteral("queued"));
                reservations.insert(r.body.value(QStringLiteral("reservation")).toString());
                positions.insert(r.body.value(QStringLiteral("position")).toInteger());
                winner = i;
            } else {
                QVERIFY2(r.status == 410 && r.error() == u"sold_out", r.raw.constData());
                ++soldOut;
            }
        }
        QCOMPARE(reservations.size(), 4);
        QCOMPARE(positions, (QSet<qint64> {1, 2, 3, 4}));
        QCOMPARE(soldOut, 8);
        const Reply again = call("POST", buys[winner], {}, tokens[winner]);
        QVERIFY2(again.status == 409 || again.status == 429 || again.status == 410,
                 again.raw.constData());
        const Reply me = call("GET", shop(QStringLiteral("/api/sales/%1/orders/me").arg(id)), {},
                              tokens[winner]);
        QCOMPARE(me.status, 200);
        QVERIFY2(me.body.value(QStringLiteral("status")).toString() == u"queued"
                     || me.body.value(QStringLiteral("status")).toString() == u"created",
                 me.raw.constData());
    }

    void switchesAndRatesReachAnotherInstanceWithinASecond()
    {
        ServerProcess second;
        QVERIFY2(second.start(serverArgs(), environment()), qPrintable(second.output()));
        const qint64 id = createGoods(QStringLiteral("Desk"));
        const qint64 t = now();
        QCOMPARE(schedule(id, t - 2000, t - 1000, t + 3'600'000, 50, 1000, 100).status, 200);
        const Reply p =
            call("GET", shop(QStringLiteral("/api/sales/%1/path").arg(id)), {}, bearer());
        const QUrl buy = second.baseUrl().resolved(
            QUrl(QStringLiteral("/api/sales/%1/%2/orders")
                     .arg(id)
                     .arg(p.body.value(QStringLiteral("path")).toString())));
        QTRY_VERIFY_WITH_TIMEOUT(call("POST", buy, {}, bearer()).status != 404, 2000);

        // The switch is thrown on the first instance; the second answers 503 within a second.
        Reply r = adminCall(
            "PUT", QStringLiteral("/admin/degradation"),
            QString::fromLatin1(j("{'scope':%1,'on':true,'message':'Restocking shelves'}"))
                .arg(id)
                .toUtf8());
        QCOMPARE(r.status, 200);
        QElapsedTimer timer;
        timer.start();
        Reply seen;
        while (timer.elapsed() < 1000) {
            seen = call("POST", buy, {}, bearer());
            if (seen.body.value(QStringLiteral("message")).toString() == u"Restocking shelves")
                break;
            QTest::qWait(20);
        }
        QCOMPARE(seen.status, 503);
        QCOMPARE(seen.error(), QStringLiteral("degraded"));
        QCOMPARE(seen.body.value(QStringLiteral("message")).toString(),
                 QStringLiteral("Restocking shelves"));
        QVERIFY(seen.retryAfter.toInt() >= 1);
        QCOMPARE(call("GET", second.adminUrl().resolved(QUrl(QStringLiteral("/admin/degradation"))),
                      {}, "Bearer " + adminToken)
                     .body.value(QStringLiteral("goods"))
                     .toArray()
                     .size(),
                 1);
        QCOMPARE(adminCall("PUT", QStringLiteral("/admin/degradation"),
                           QString::fromLatin1(j("{'scope':%1,'on':false}")).arg(id).toUtf8())
                     .status,
                 200);

        // A rate of one token a minute on the first instance: the second limits within a second.
        QCOMPARE(adminCall("PUT", QStringLiteral("/admin/sales/%1/rate").arg(id),
                           j("{'ratePerSecond':0.016,'burst':1}"))
                     .status,
                 200);
        timer.restart();
        bool limited = false;
        while (!limited && timer.elapsed() < 1000) {
            r = call("POST", buy, {}, bearer());
            limited = r.error() == u"rate_limited";
        }
        QVERIFY2(limited, r.raw.constData());
        QCOMPARE(r.error(), QStringLiteral("rate_limited"));
        QVERIFY(r.retryAfter.toInt() >= 1);
        QCOMPARE(second.stop(), 0);
    }

    void soldOutMarkReachesAnotherInstanceWithinASecond()
    {
        ServerProcess second;
        QVERIFY2(second.start(serverArgs(), environment()), qPrintable(second.output()));
        const qint64 id = createGoods(QStringLiteral("Clock"));
        const qint64 t = now();
        QCOMPARE(schedule(id, t - 2000, t - 1000, t + 3'600'000, 1).status, 200);
        const QString path =
            call("GET", shop(QStringLiteral("/api/sales/%1/path").arg(id)), {}, bearer())
                .body.value(QStringLiteral("path"))
                .toString();
        const QUrl buy = shop(QStringLiteral("/api/sales/%1/%2/orders").arg(id).arg(path));
        const QUrl onSecond =
            second.baseUrl().resolved(QUrl(QStringLiteral("/api/sales/%1").arg(id)));
        const auto stateOnSecond = [&] {
            return call("GET", onSecond).body.value(QStringLiteral("state")).toString();
        };
        QTRY_COMPARE_WITH_TIMEOUT(stateOnSecond(), QStringLiteral("live"), 2000);

        // The last unit goes on the first instance: the second marks it sold out within a
        // second (its periodic reload is a minute away: the sold_out event did it).
        Reply bought = call("POST", buy, {}, bearer());
        for (int i = 0; i < 100 && bought.status == 503; ++i) {
            QTest::qWait(20);
            bought = call("POST", buy, {}, bearer());
        }
        QCOMPARE(bought.status, 202);
        QElapsedTimer timer;
        timer.start();
        QString state = stateOnSecond();
        while (state != u"sold_out" && timer.elapsed() < 1000) {
            QTest::qWait(20);
            state = stateOnSecond();
        }
        QCOMPARE(state, QStringLiteral("sold_out"));

        // A top-up on the first instance clears the mark on the second within a second.
        QCOMPARE(adminCall("POST", QStringLiteral("/admin/sales/%1/stock").arg(id), j("{'add':2}"))
                     .status,
                 200);
        timer.restart();
        state = stateOnSecond();
        while (state != u"live" && timer.elapsed() < 1000) {
            QTest::qWait(20);
            state = stateOnSecond();
        }
        QCOMPARE(state, QStringLiteral("live"));
        QCOMPARE(second.stop(), 0);
    }

    void siteRateIsSharedAmongLiveInstances()
    {
        const auto instances = [&] {
            return adminCall("GET", QStringLiteral("/admin/stats"))
                .body.value(QStringLiteral("instances"))
                .toInt();
        };
        // Instances of earlier tests drop out of the count within three heartbeats.
        QTRY_COMPARE_WITH_TIMEOUT(instances(), 1, 6000);
        ServerProcess second;
        QVERIFY2(second.start(serverArgs(), environment()), qPrintable(second.output()));
        QTRY_COMPARE_WITH_TIMEOUT(instances(), 2, 5000);

        // A site-wide burst of 2 is 1 per instance: the first instance lets one shopper
        // through, the next one waits for a token (a minute away at this rate).
        const qint64 id = createGoods(QStringLiteral("Chair"));
        const qint64 t = now();
        QCOMPARE(schedule(id, t - 2000, t - 1000, t + 3'600'000, 50, 0.016, 2).status, 200);
        QList<QByteArray> shoppers;
        for (const char *name : {"eve", "finn"}) {
            const QByteArray body =
                QByteArray("{\"username\":\"") + name + "\",\"password\":\"secret-pw\"}";
            QCOMPARE(call("POST", shop(QStringLiteral("/api/users")), body).status, 201);
            shoppers.append("Bearer "
                            + call("POST", shop(QStringLiteral("/api/sessions")), body)
                                  .body.value(QStringLiteral("token"))
                                  .toString()
                                  .toLatin1());
        }
        const QString path =
            call("GET", shop(QStringLiteral("/api/sales/%1/path").arg(id)), {}, shoppers[0])
                .body.value(QStringLiteral("path"))
                .toString();
        // Paths are per shopper: each asks for their own.
        const auto buy = [&](const QByteArray &shopper) {
            const QString own =
                call("GET", shop(QStringLiteral("/api/sales/%1/path").arg(id)), {}, shopper)
                    .body.value(QStringLiteral("path"))
                    .toString();
            Reply r = call("POST", shop(QStringLiteral("/api/sales/%1/%2/orders").arg(id).arg(own)),
                           {}, shopper);
            for (int i = 0; i < 100 && r.status == 503; ++i) { // stock still loading
                QTest::qWait(20);
                r = call("POST", shop(QStringLiteral("/api/sales/%1/%2/orders").arg(id).arg(own)),
                         {}, shopper);
            }
            return r;
        };
        QVERIFY(!path.isEmpty());
        const Reply first = buy(shoppers[0]);
        QCOMPARE(first.status, 202);
        const Reply next = buy(shoppers[1]);
        QCOMPARE(next.status, 429);
        QCOMPARE(next.error(), QStringLiteral("rate_limited"));

        QCOMPARE(second.stop(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(instances(), 1, 6000);
    }

    void liveWebSocketNeedsTheToken()
    {
        QUrl url = m_server.adminUrl().resolved(QUrl(QStringLiteral("/admin/live")));
        url.setScheme(QStringLiteral("ws"));
        QUrl withToken = url;
        withToken.setQuery(QStringLiteral("token=") + QString::fromLatin1(adminToken));

        QWebSocket good;
        QSignalSpy messages(&good, &QWebSocket::textMessageReceived);
        good.open(withToken);
        QTRY_VERIFY_WITH_TIMEOUT(messages.size() >= 2, 5000); // one at once, one a second later
        const QJsonObject stats =
            QJsonDocument::fromJson(messages.first().first().toString().toUtf8()).object();
        QCOMPARE(stats.value(QStringLiteral("breakers"))
                     .toObject()
                     .value(QStringLiteral("redis"))
                     .toString(),
                 QStringLiteral("closed"));
        QVERIFY(stats.value(QStringLiteral("requestsPerSecond"))
                    .toObject()
                    .contains(QStringLiteral("queued")));

        QWebSocket bad;
        QSignalSpy badMessages(&bad, &QWebSocket::textMessageReceived);
        QSignalSpy closed(&bad, &QWebSocket::disconnected);
        bad.open(url);
        QTRY_VERIFY_WITH_TIMEOUT(closed.size() == 1, 5000);
        QCOMPARE(badMessages.size(), 0);
        QCOMPARE(bad.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
    }

    void statsHealthReadinessMetrics()
    {
        Reply r = adminCall("GET", QStringLiteral("/admin/stats"));
        QCOMPARE(r.status, 200);
        for (const char *key :
             {"time", "instances", "workers", "requestsPerSecond", "ordersPerSecond", "queueDepth",
              "deadLetters", "buyLatencyMs", "orderLagMs", "stale", "breakers", "sales"})
            QVERIFY2(r.body.contains(QLatin1String(key)), key);
        QCOMPARE(call("GET", shop(QStringLiteral("/readyz"))).status, 200);
        r = call("GET", shop(QStringLiteral("/metrics")));
        QCOMPARE(r.status, 200);
        QVERIFY(r.raw.contains("# TYPE flashsale_buy_requests_total counter"));
        // Every sample names the process it comes from.
        QVERIFY2(r.raw.contains("flashsale_buy_requests_total{instance=\""), r.raw.constData());
        QVERIFY(r.raw.contains(",outcome=\"rejected\"}"));
        QVERIFY(r.raw.contains(",dependency=\"postgres\"} 1"));
        QVERIFY(r.raw.contains("# TYPE flashsale_buy_duration_seconds histogram"));
    }

    void servesOnSeveralThreads()
    {
        const QString tasks = QStringLiteral("/proc/%1/task").arg(m_server.process().processId());
        QStringList names;
        for (const QString &task : QDir(tasks).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            QFile comm(tasks + u'/' + task + QStringLiteral("/comm"));
            if (comm.open(QIODevice::ReadOnly))
                names.append(QString::fromUtf8(comm.readAll()).trimmed());
        }
        QVERIFY2(names.contains(QStringLiteral("http-0"))
                     && names.contains(QStringLiteral("http-1")),
                 qPrintable(names.join(u',')));
    }
};

QTEST_GUILESS_MAIN(tst_HttpApi)
#include "tst_httpapi.moc"
