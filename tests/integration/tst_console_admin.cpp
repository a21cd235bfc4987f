// The console against a real flashsale-server and the real stack: what an operator does
// through it reaches Redis, PostgreSQL and the shoppers' API. Widgets run offscreen.
#include "adminapi/jsonfields.h"
#include "consolesession.h"
#include "database.h"
#include "httpclient.h"
#include "livechartsview.h"
#include "mainwindow.h"
#include "salestate.h"
#include "schedulechange.h"
#include "scheduledialog.h"
#include "serverprocess.h"
#include "testservices.h"

#include <QApplication>
#include <QDateTimeEdit>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTest>

#include <signal.h>

using namespace flashsale;
using namespace flashsale::console;
using adminapi::AdminClient;
using flashsale::test::ServerProcess;
using flashsale::test::TestServices;

namespace {
const QString kToken = QStringLiteral("console-test-admin-token");
}

class tst_ConsoleAdmin : public QObject
{
    Q_OBJECT

private:
    using HttpResult = test::HttpReply;

    HttpResult request(const QByteArray &verb, const QUrl &url, const QJsonObject &body = {},
                       const QString &bearer = {})
    {
        return m_http.callJson(verb, url, body,
                               bearer.isEmpty() ? QByteArray() : test::HttpClient::bearer(bearer));
    }

    QUrl shopper(const QString &path) const
    {
        QUrl url = m_server.baseUrl();
        url.setPath(path);
        return url;
    }

    /// A shopper's session token.
    QString shopperToken(const QString &name)
    {
        const QJsonObject credentials {
            {QStringLiteral("username"), name},
            {QStringLiteral("password"), QStringLiteral("pw-%1").arg(name)}};
        const HttpResult created =
            request("POST", shopper(QStringLiteral("/api/users")), credentials);
        if (created.status != 201)
            qWarning() << "creating user" << name << created.status << created.body;
        const HttpResult session =
            request("POST", shopper(QStringLiteral("/api/sessions")), credentials);
        return session.body.value(QStringLiteral("token")).toString();
    }

    /// The string values of the product's Redis keys (whatever the keys are called, they
    /// share the hash tag {g:<id>}).
    QStringList redisValues(qint64 goodsId) const
    {
        const QString url = TestServices::instance().redisUrl();
        QProcess scan;
        scan.start(QStringLiteral("redis-cli"),
                   {QStringLiteral("-u"), url, QStringLiteral("--scan"),
                    QStringLiteral("--pattern"), QStringLiteral("*{g:%1}*").arg(goodsId)});
        scan.waitForFinished(10'000);
        QStringList values;
        const QList<QByteArray> keys = scan.readAllStandardOutput().split('\n');
        for (const QByteArray &key : keys) {
            if (key.isEmpty())
                continue;
            QProcess get;
            get.start(QStringLiteral("redis-cli"),
                      {QStringLiteral("-u"), url, QStringLiteral("GET"), QString::fromUtf8(key)});
            get.waitForFinished(10'000);
            values.append(QString::fromUtf8(get.readAllStandardOutput()).trimmed());
        }
        return values;
    }

    /// Creates a product through the session and returns its id (0 on failure).
    qint64 createProduct(ConsoleSession &session, const QString &name)
    {
        QSignalSpy saved(&session.client(), &AdminClient::goodsSaved);
        adminapi::Goods goods;
        goods.name = name;
        goods.description = QStringLiteral("made by tst_console_admin");
        goods.image = QStringLiteral("/images/none.png");
        goods.priceCents = 10000;
        goods.flashPriceCents = 100;
        if (!session.createProduct(goods).isEmpty() || !saved.wait(10'000))
            return 0;
        return saved.first().first().value<adminapi::Goods>().goodsId;
    }

    /// Schedules \a goodsId to start \a startInSeconds from now with \a stock units.
    bool schedule(ConsoleSession &session, qint64 goodsId, qint64 stock, int startInSeconds)
    {
        QSignalSpy updated(&session.client(), &AdminClient::saleUpdated);
        QSignalSpy failed(&session, &ConsoleSession::failed);
        adminapi::SaleSchedule s;
        const QDateTime now = session.serverNow().addSecs(1);
        s.stock = stock;
        s.revealAt = now;
        s.startAt = now.addSecs(startInSeconds);
        s.endAt = now.addSecs(600);
        s.ratePerSecond = 1000;
        s.burst = 1000;
        const QStringList faults = session.scheduleSale(goodsId, s);
        if (!faults.isEmpty()) {
            qWarning() << faults;
            return false;
        }
        if (!updated.wait(10'000)) {
            qWarning() << "no answer" << failed;
            return false;
        }
        return true;
    }

    /// Waits until the console's table derives \a state for \a goodsId.
    static bool waitForState(ConsoleSession &session, qint64 goodsId, SaleState state)
    {
        return QTest::qWaitFor(
            [&] {
                const int row = session.products().rowOf(goodsId);
                return row >= 0
                    && deriveState(session.products().row(row).sale, session.serverNow()) == state;
            },
            15'000);
    }

    const adminapi::SaleStatus &saleOf(ConsoleSession &session, qint64 goodsId)
    {
        return session.products().row(session.products().rowOf(goodsId)).sale;
    }

    bool connectSession(ConsoleSession &session)
    {
        session.client().setReconnectDelays(200, 1000);
        session.connectToServer(m_server.adminUrl(), kToken);
        const bool connected = QTest::qWaitFor(
            [&] { return session.client().state() == AdminClient::State::Connected; }, 10'000);
        if (!connected)
            qWarning().noquote() << "not connected:" << session.client().stateMessage();
        return connected;
    }

    test::HttpClient m_http;
    ServerProcess m_server; ///< role api: the shoppers' and the admin API
    ServerProcess m_worker; ///< role worker, one message at a time (the queue fills when stopped)
    QString m_databaseUrl;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        TestServices &services = TestServices::instance();
        m_databaseUrl = services.createDatabase();
        const QStringList args {QStringLiteral("--database-url"), m_databaseUrl,
                                QStringLiteral("--redis-url"),    services.redisUrl(),
                                QStringLiteral("--amqp-url"),     services.amqpUrl(),
                                QStringLiteral("--admin-token"),  kToken};
        QVERIFY2(
            m_server.start(args + QStringList {QStringLiteral("--role"), QStringLiteral("api")},
                           QProcessEnvironment::systemEnvironment()),
            qPrintable(m_server.output()));
        QVERIFY2(m_server.adminUrl().isValid(), qPrintable(m_server.output()));
        QVERIFY(TestServices::offsetGoodsIds(m_databaseUrl));
        QVERIFY2(m_worker.start(
                     args
                         + QStringList {QStringLiteral("--role"), QStringLiteral("worker"),
                                        QStringLiteral("--workers"), QStringLiteral("1"),
                                        QStringLiteral("--worker-prefetch"), QStringLiteral("1")},
                     QProcessEnvironment::systemEnvironment()),
                 qPrintable(m_worker.output()));
    }

    void cleanupTestCase()
    {
        ::kill(pid_t(m_worker.process().processId()), SIGCONT); // should a test stop midway
        QCOMPARE(m_worker.stop(), 0);
        QCOMPARE(m_server.stop(), 0);
    }

    void wrongTokenIsRefusedClearly()
    {
        AdminClient client;
        client.connectToServer(m_server.adminUrl(), QStringLiteral("not-the-token"));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), AdminClient::State::Unauthorized, 10'000);
        QVERIFY2(client.stateMessage().contains(QStringLiteral("refused the admin token")),
                 qPrintable(client.stateMessage()));
        QVERIFY(!client.isReconnecting()); // no retry loop: nothing is scheduled
    }

    void shopperPortIsNotTheAdminApi()
    {
        AdminClient client;
        client.setReconnectDelays(5000, 5000);
        client.connectToServer(m_server.baseUrl(), kToken);
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), AdminClient::State::Unreachable, 10'000);
        QVERIFY2(client.stateMessage().contains(QStringLiteral("admin")),
                 qPrintable(client.stateMessage()));
    }

    void liveFeedArrives()
    {
        ConsoleSession session;
        QVERIFY(connectSession(session));
        QTRY_VERIFY_WITH_TIMEOUT(session.history().samples() >= 2, 10'000);
        QVERIFY(!session.breakers().isEmpty());
    }

    void preloadReachesRedisAndPostgres()
    {
        ConsoleSession session;
        QVERIFY(connectSession(session));
        const qint64 id = createProduct(session, QStringLiteral("Preloaded phone"));
        QVERIFY(id > 0);
        QVERIFY(schedule(session, id, 57, 60));

        const int row = session.products().rowOf(id);
        QVERIFY(row >= 0);
        QCOMPARE(session.products().row(row).sale.preloadedStock, 57);
        QCOMPARE(session.products().row(row).sale.stockLeft, 57);
        const auto url = db::DatabaseUrl::parse(m_databaseUrl);
        QVERIFY(url.ok());
        {
            auto database = db::openDatabase(url.value(), QStringLiteral("console-check"));
            QVERIFY2(database.ok(), qPrintable(database.error()));
            QSqlQuery query(database.value());
            QVERIFY(query.prepare(
                QStringLiteral("SELECT stock FROM miaosha_goods WHERE goods_id = ?")));
            query.addBindValue(id);
            QVERIFY2(query.exec() && query.next(), qPrintable(db::describeError(query)));
            QCOMPARE(query.value(0).toLongLong(), 57);
        }
        db::closeDatabase(QStringLiteral("console-check"));
        QVERIFY2(redisValues(id).contains(QStringLiteral("57")),
                 qPrintable(redisValues(id).join(u',')));

        // A top-up adds to both.
        QSignalSpy updated(&session.client(), &AdminClient::saleUpdated);
        QVERIFY(session.topUp(id, 3).isEmpty());
        QVERIFY(updated.wait(10'000));
        QCOMPARE(updated.first().first().value<adminapi::SaleStatus>().stockLeft, 60);
        QVERIFY(redisValues(id).contains(QStringLiteral("60")));
    }

    void rateChangeReachesTheServer()
    {
        ConsoleSession session;
        QVERIFY(connectSession(session));
        const qint64 id = createProduct(session, QStringLiteral("Rated cable"));
        QVERIFY(id > 0);
        QVERIFY(schedule(session, id, 10, 60));
        QSignalSpy updated(&session.client(), &AdminClient::saleUpdated);
        QVERIFY(session.setRate(id, 7.5, 3).isEmpty());
        QVERIFY(updated.wait(10'000));
        // Read back by someone else.
        const HttpResult sale = request(
            "GET", QUrl(m_server.adminUrl().toString() + QStringLiteral("/admin/sales/%1").arg(id)),
            {}, kToken);
        QCOMPARE(sale.status, 200);
        QCOMPARE(sale.body.value(QStringLiteral("ratePerSecond")).toDouble(), 7.5);
        QCOMPARE(sale.body.value(QStringLiteral("burst")).toInt(), 3);
        // Bad values never leave the console.
        QVERIFY(!session.setRate(id, 0, 3).isEmpty());
    }

    void killSwitchMakesBuysAnswer503()
    {
        ConsoleSession session;
        QVERIFY(connectSession(session));
        const qint64 id = createProduct(session, QStringLiteral("Guarded watch"));
        QVERIFY(id > 0);
        QVERIFY(schedule(session, id, 10, 1));
        const QString token = shopperToken(QStringLiteral("kill-switch-shopper"));
        QVERIFY(!token.isEmpty());
        const QUrl buy = shopper(QStringLiteral("/api/sales/%1/wrong-path/orders").arg(id));

        QSignalSpy degradation(&session, &ConsoleSession::degradationChanged);
        QVERIFY(
            session.setDegradation(std::nullopt, true, QStringLiteral("Paused by tst")).isEmpty());
        QVERIFY(degradation.wait(10'000));
        QVERIFY(session.degradation().site.on);
        HttpResult answer;
        QTRY_VERIFY_WITH_TIMEOUT((answer = request("POST", buy, {}, token)).status == 503, 5000);
        QCOMPARE(answer.body.value(QStringLiteral("error")).toString(), QStringLiteral("degraded"));
        QVERIFY(!answer.retryAfter.isEmpty());

        QVERIFY(session.setDegradation(std::nullopt, false, QString()).isEmpty());
        QVERIFY(degradation.wait(10'000));
        QTRY_VERIFY_WITH_TIMEOUT(request("POST", buy, {}, token).status != 503, 5000);

        // One product only.
        QVERIFY(session.setDegradation(id, true, QStringLiteral("This one is paused")).isEmpty());
        QVERIFY(degradation.wait(10'000));
        QTRY_VERIFY_WITH_TIMEOUT(request("POST", buy, {}, token).status == 503, 5000);
        QVERIFY(session.setDegradation(id, false, QString()).isEmpty());
        QVERIFY(degradation.wait(10'000));
    }

    void reschedulingALiveSaleKeepsItLiveAsTheDialogSays()
    {
        ConsoleSession session;
        QVERIFY(connectSession(session));
        const qint64 id = createProduct(session, QStringLiteral("Live-edited kettle"));
        QVERIFY(id > 0);
        QVERIFY(schedule(session, id, 20, 1));
        QVERIFY(waitForState(session, id, SaleState::Live));
        // A shopper buys a unit: the sale has sold stock, as in a real event.
        const QString token = shopperToken(QStringLiteral("live-edit-shopper"));
        const HttpResult path =
            request("GET", shopper(QStringLiteral("/api/sales/%1/path").arg(id)), {}, token);
        QCOMPARE(path.status, 200);
        const HttpResult bought =
            request("POST",
                    shopper(QStringLiteral("/api/sales/%1/%2/orders")
                                .arg(id)
                                .arg(path.body.value(QStringLiteral("path")).toString())),
                    {}, token);
        QCOMPARE(bought.status, 202);
        QTRY_VERIFY_WITH_TIMEOUT(
            saleOf(session, id).ordersCreated == 1 && saleOf(session, id).stockLeft == 19, 15'000);
        const adminapi::SaleStatus before = saleOf(session, id);

        // The operator opens the schedule dialog on the live sale and moves its end.
        ScheduleDialog dialog(before, session);
        QCOMPARE(dialog.endEdit()->dateTime().toUTC().toSecsSinceEpoch(),
                 before.endAt.toSecsSinceEpoch());
        QVERIFY(!dialog.startEdit()->isEnabled());
        QVERIFY(!dialog.stockEdit()->isEnabled());
        QVERIFY(dialog.cancelButton()->isDefault());
        const QDateTime newEnd = dialog.endEdit()->dateTime().addSecs(1800);
        dialog.endEdit()->setDateTime(newEnd);
        QVERIFY(dialog.okButton()->isEnabled());
        const ScheduleChange said = dialog.change();
        QVERIFY2(said.headline.contains(u"stays live"), qPrintable(said.headline));
        const QString changes = said.changes.join(u'\n');
        QVERIFY2(changes.contains(u"Stock: untouched") && changes.contains(u"End: moves from")
                     && changes.contains(u"Start: stays"),
                 qPrintable(changes));

        QSignalSpy updated(&session.client(), &AdminClient::saleUpdated);
        QSignalSpy failed(&session, &ConsoleSession::failed);
        QVERIFY(session.scheduleSale(id, dialog.schedule()).isEmpty());
        QVERIFY2(updated.wait(10'000),
                 qPrintable(failed.isEmpty() ? QString() : failed.first().at(1).toString()));

        // What the server holds, read by someone else, is what the dialog said.
        const HttpResult after = request(
            "GET", QUrl(m_server.adminUrl().toString() + QStringLiteral("/admin/sales/%1").arg(id)),
            {}, kToken);
        QCOMPARE(after.status, 200);
        const auto field = [&](const char *name) {
            return after.body.value(QLatin1String(name));
        };
        QCOMPARE(field("state").toString(), QStringLiteral("live")); // stays live
        QCOMPARE(field("startAt").toString(), adminapi::formatTime(before.startAt));
        QCOMPARE(field("revealAt").toString(), adminapi::formatTime(before.revealAt));
        QCOMPARE(
            QDateTime::fromString(field("endAt").toString(), Qt::ISODateWithMs).toSecsSinceEpoch(),
            newEnd.toUTC().toSecsSinceEpoch()); // the end moved
        QCOMPARE(field("preloadedStock").toInteger(), 20); // stock untouched
        QCOMPARE(field("stockLeft").toInteger(), 19);
        QCOMPARE(field("ordersCreated").toInteger(), 1);
        // PostgreSQL's stock was not reset either: stock + orders = preloaded.
        const auto url = db::DatabaseUrl::parse(m_databaseUrl);
        {
            auto database = db::openDatabase(url.value(), QStringLiteral("console-live-edit"));
            QVERIFY2(database.ok(), qPrintable(database.error()));
            QSqlQuery query(database.value());
            QVERIFY(query.prepare(QStringLiteral(
                "SELECT stock, preloaded_stock FROM miaosha_goods WHERE goods_id = ?")));
            query.addBindValue(id);
            QVERIFY2(query.exec() && query.next(), qPrintable(db::describeError(query)));
            QCOMPARE(query.value(0).toLongLong(), 19);
            QCOMPARE(query.value(1).toLongLong(), 20);
        }
        db::closeDatabase(QStringLiteral("console-live-edit"));
        // A new stock for the live sale never leaves the console.
        adminapi::SaleSchedule restock = dialog.schedule();
        restock.stock = 150;
        QVERIFY(!session.scheduleSale(id, restock).isEmpty());
    }

    void aWrongTokenMarksFiguresStaleAndKeepsTheHistory()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        ConsoleSession &session = window.session();
        QVERIFY(connectSession(session));
        QTRY_VERIFY_WITH_TIMEOUT(session.history().samples() >= 2, 10'000);
        QTRY_VERIFY_WITH_TIMEOUT(!session.isStale(), 10'000);
        QVERIFY(window.staleNotice().isEmpty());
        const qint64 samples = session.history().samples();

        // Ctrl+K with a wrong token, same server: the figures are marked, not wiped.
        session.connectToServer(m_server.adminUrl(), QStringLiteral("not-the-token"));
        QTRY_COMPARE_WITH_TIMEOUT(session.client().state(), AdminClient::State::Unauthorized,
                                  10'000);
        QTRY_VERIFY_WITH_TIMEOUT(session.isStale(), 10'000);
        QVERIFY2(window.staleNotice().contains(u"Not live since"),
                 qPrintable(window.staleNotice()));
        QVERIFY(session.history().samples() >= samples);
        QCOMPARE(window.addressToOffer(), m_server.adminUrl());

        // The right token again: the same history goes on.
        session.connectToServer(m_server.adminUrl(), kToken);
        QTRY_VERIFY_WITH_TIMEOUT(session.history().samples() > samples, 10'000);
        QTRY_VERIFY_WITH_TIMEOUT(!session.isStale(), 10'000);
        QVERIFY(window.staleNotice().isEmpty());
    }

    void chartsReceivePointsUnderLoad()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        ConsoleSession &session = window.session();
        QVERIFY(connectSession(session));
        const qint64 id = createProduct(session, QStringLiteral("Charted shoes"));
        QVERIFY(id > 0);
        QVERIFY(schedule(session, id, 20, 1));
        QVERIFY(waitForState(session, id, SaleState::Live));

        QStringList tokens;
        for (int i = 0; i < 6; ++i)
            tokens.append(shopperToken(QStringLiteral("chart-shopper-%1").arg(i)));
        // Each shopper's own secret path.
        QList<QUrl> buys;
        for (const QString &token : std::as_const(tokens)) {
            const HttpResult path =
                request("GET", shopper(QStringLiteral("/api/sales/%1/path").arg(id)), {}, token);
            QCOMPARE(path.status, 200);
            buys.append(shopper(QStringLiteral("/api/sales/%1/%2/orders")
                                    .arg(id)
                                    .arg(path.body.value(QStringLiteral("path")).toString())));
        }
        const qint64 pointsBefore = window.charts()->requestPoints();
        QCOMPARE(window.charts()->queuePeak(), 0.0);

        // The worker stopped: each shopper's one buy, one by one, waits in RabbitMQ, where
        // the server reads its count for the queue chart.
        const pid_t worker = pid_t(m_worker.process().processId());
        QCOMPARE(::kill(worker, SIGSTOP), 0);
        for (qsizetype i = 0; i < tokens.size(); ++i)
            QCOMPARE(request("POST", buys[i], {}, tokens[i]).status, 202);
        // Then a small load: concurrent buys for three seconds (repeats are answered as
        // duplicates or too_frequent, which the charts count too).
        QElapsedTimer clock;
        clock.start();
        int sent = 0;
        int answered = 0;
        while (clock.elapsed() < 3000) {
            for (qsizetype i = 0; i < tokens.size(); ++i) {
                QNetworkRequest req(buys[i]);
                req.setRawHeader("Authorization", "Bearer " + tokens[i].toUtf8());
                QNetworkReply *reply = m_http.network().post(req, QByteArray());
                ++sent;
                connect(reply, &QNetworkReply::finished, this, [reply, &answered] {
                    ++answered;
                    reply->deleteLater();
                });
            }
            QTest::qWait(100);
        }
        QTRY_COMPARE_WITH_TIMEOUT(answered, sent, 10'000);
        QTRY_VERIFY_WITH_TIMEOUT(window.charts()->queuePeak() > 0, 15'000);
        QVERIFY(window.charts()->summaryText().contains(QStringLiteral("queue")));

        // The worker resumes: the orders are made, and the orders chart shows them.
        QCOMPARE(::kill(worker, SIGCONT), 0);
        QTRY_VERIFY_WITH_TIMEOUT(window.charts()->ordersPeak() > 0, 20'000);
        QTRY_VERIFY_WITH_TIMEOUT(session.history().latest().queueDepth == 0, 20'000);
        QTRY_VERIFY_WITH_TIMEOUT(session.history().orderLagP99().maximum() > 0, 20'000);
        QVERIFY(session.history().latencyP99().maximum() > 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            window.charts()->summaryText().contains(QStringLiteral("API instances 1, workers 1")),
            15'000);

        QTRY_VERIFY_WITH_TIMEOUT(window.charts()->requestPoints() >= pointsBefore + 3, 10'000);
        double requests = 0;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                requests = 0;
                for (double total : session.history().outcomeTotals())
                    requests += total;
                return requests >= 4;
            }(),
            10'000);
        QVERIFY(session.history().outcomeTotals().value(QStringLiteral("queued")) >= 1);
        QVERIFY(session.history().stock().contains(id));
    }
};

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    tst_ConsoleAdmin test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_console_admin.moc"
