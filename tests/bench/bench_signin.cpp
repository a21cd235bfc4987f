#include "database.h"
#include "databaseurl.h"
#include "pathsigner.h"
#include "serverprocess.h"
#include "sessiontokens.h"
#include "shopclient.h"
#include "testservices.h"

#include <QElapsedTimer>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSqlQuery>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <openssl/evp.h>

#include <atomic>
#include <unistd.h>

using namespace flashsale::test;

namespace {
constexpr int iterations = 100'000; // the server's default
constexpr int shoppers = 48;
constexpr int signInsPerRound = 240;
constexpr int inFlight = 8;
constexpr int rounds = 3;

/// CPU seconds (user + system) a process has used so far, from /proc/PID/stat.
double cpuSeconds(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray text = stat.readAll();
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat(5), counted from the state field (3).
    return (fields.value(11).toDouble() + fields.value(12).toDouble()) / sysconf(_SC_CLK_TCK);
}

/// OpenSSL's own PBKDF2 on every core for \a ms: derivations per second.
double opensslInProcess(int ms)
{
    const int threads = QThread::idealThreadCount();
    std::atomic<int> done {0};
    std::atomic<bool> stop {false};
    QList<QThread *> workers;
    QElapsedTimer timer;
    timer.start();
    for (int t = 0; t < threads; ++t) {
        workers.append(QThread::create([&] {
            unsigned char key[32];
            while (!stop) {
                PKCS5_PBKDF2_HMAC("secret-pw", 9,
                                  reinterpret_cast<const unsigned char *>("saltsaltsaltsalt"), 16,
                                  iterations, EVP_sha256(), 32, key);
                ++done;
            }
        }));
        workers.last()->start();
    }
    QThread::msleep(ms); // a measurement period, not a wait for a state
    stop = true;
    for (QThread *w : workers) {
        w->wait();
        delete w;
    }
    return done * 1000.0 / timer.elapsed();
}

/// The `openssl kdf` command line, one process per core, for \a ms (the issue's baseline).
double opensslCommand(int ms)
{
    const QStringList args {QStringLiteral("kdf"),
                            QStringLiteral("-keylen"),
                            QStringLiteral("32"),
                            QStringLiteral("-kdfopt"),
                            QStringLiteral("digest:SHA256"),
                            QStringLiteral("-kdfopt"),
                            QStringLiteral("pass:secret-pw"),
                            QStringLiteral("-kdfopt"),
                            QStringLiteral("salt:saltsaltsaltsalt"),
                            QStringLiteral("-kdfopt"),
                            QStringLiteral("iter:%1").arg(iterations),
                            QStringLiteral("PBKDF2")};
    const int lanes = QThread::idealThreadCount();
    std::atomic<int> done {0};
    QElapsedTimer timer;
    timer.start();
    QList<QThread *> workers;
    for (int t = 0; t < lanes; ++t) {
        workers.append(QThread::create([&] {
            while (timer.elapsed() < ms) {
                QProcess p;
                p.start(QStringLiteral("openssl"), args);
                if (p.waitForFinished(10'000) && p.exitCode() == 0)
                    ++done;
            }
        }));
        workers.last()->start();
    }
    for (QThread *w : workers) {
        w->wait();
        delete w;
    }
    return done * 1000.0 / timer.elapsed();
}
/// Latencies of buys sent open-loop: one every \a intervalMs for \a ms, each by a new
/// shopper (minted tokens and paths), on a connection pool of its own.
struct BuyProbe
{
    QNetworkAccessManager network;
    QList<double> latenciesMs;
    int accepted = 0; ///< 202s
    int other = 0; ///< anything else (a test failure)

    void run(const std::function<QNetworkRequest()> &next, int intervalMs, int ms)
    {
        latenciesMs.clear();
        accepted = other = 0;
        int outstanding = 0;
        bool sending = true;
        QEventLoop loop;
        QTimer tick;
        tick.setTimerType(Qt::PreciseTimer);
        QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
            QNetworkRequest request = next();
            auto *timer = new QElapsedTimer;
            timer->start();
            QNetworkReply *reply = network.post(request, QByteArray());
            ++outstanding;
            QObject::connect(reply, &QNetworkReply::finished, &loop, [&, reply, timer] {
                latenciesMs.append(timer->nsecsElapsed() / 1e6);
                delete timer;
                (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 202
                     ? accepted
                     : other)++;
                reply->deleteLater();
                if (--outstanding == 0 && !sending)
                    loop.quit();
            });
        });
        QTimer::singleShot(ms, &loop, [&] {
            tick.stop();
            sending = false;
            if (outstanding == 0)
                loop.quit();
        });
        tick.start(intervalMs);
        loop.exec();
    }
    double percentile(double p) const
    {
        QList<double> sorted = latenciesMs;
        std::sort(sorted.begin(), sorted.end());
        return sorted.isEmpty()
            ? 0
            : sorted.at(std::min<qsizetype>(sorted.size() - 1, qsizetype(p * sorted.size())));
    }
};

} // namespace

/// Sign-ins per second through the server's HTTP API at the default 100,000 PBKDF2
/// iterations, beside OpenSSL's PBKDF2 on the same cores in the same run.
class bench_SignIn : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void signInsAgainstOpenSsl()
    {
        const QString databaseUrl = TestServices::instance().createDatabase();
        ServerProcess server;
        QVERIFY2(
            server.start({QStringLiteral("--role"), QStringLiteral("api"),
                          QStringLiteral("--session-secret"), QStringLiteral("bench"),
                          QStringLiteral("--password-iterations"), QString::number(iterations)},
                         ShopClient::environment(databaseUrl)),
            qPrintable(server.output()));
        const QUrl users = server.baseUrl().resolved(QUrl(QStringLiteral("/api/users")));
        const QUrl sessions = server.baseUrl().resolved(QUrl(QStringLiteral("/api/sessions")));
        const auto body = [](int i) {
            return QJsonDocument(
                       QJsonObject {{QStringLiteral("username"), QStringLiteral("bench-%1").arg(i)},
                                    {QStringLiteral("password"), QStringLiteral("secret-pw")}})
                .toJson(QJsonDocument::Compact);
        };

        QNetworkAccessManager network;
        // Sends \a total requests, \a inFlight at a time; returns how many answered \a status.
        const auto storm = [&](const QUrl &url, int total, int status) {
            int sent = 0, answered = 0, good = 0;
            QEventLoop loop;
            std::function<void()> next = [&] {
                if (sent >= total)
                    return;
                QNetworkRequest request(url);
                request.setHeader(QNetworkRequest::ContentTypeHeader,
                                  QByteArray("application/json"));
                request.setTransferTimeout(60'000);
                QNetworkReply *reply = network.post(request, body(sent++ % shoppers));
                QObject::connect(reply, &QNetworkReply::finished, &loop, [&, reply] {
                    good += reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt()
                        == status;
                    reply->deleteLater();
                    if (++answered == total)
                        loop.quit();
                    else
                        next();
                });
            };
            for (int i = 0; i < inFlight; ++i)
                next();
            loop.exec();
            return good;
        };

        QCOMPARE(storm(users, shoppers, 201), shoppers);
        QList<double> server_, inProcess, command, cpuPerSignIn;
        for (int round = 0; round < rounds; ++round) {
            const double cpuBefore = cpuSeconds(server.process().processId());
            QElapsedTimer timer;
            timer.start();
            QCOMPARE(storm(sessions, signInsPerRound, 200), signInsPerRound);
            const double seconds = timer.elapsed() / 1000.0;
            server_.append(signInsPerRound / seconds);
            cpuPerSignIn.append((cpuSeconds(server.process().processId()) - cpuBefore) * 1000
                                / signInsPerRound);
            inProcess.append(opensslInProcess(4000));
            command.append(opensslCommand(4000));
            qInfo("round %d: server %.1f sign-ins/s (%.1f ms CPU each), OpenSSL PKCS5_PBKDF2_HMAC "
                  "%.1f/s, openssl kdf %.1f/s",
                  round + 1, server_.last(), cpuPerSignIn.last(), inProcess.last(), command.last());
        }
        const auto median = [](QList<double> v) {
            std::sort(v.begin(), v.end());
            return v.at(v.size() / 2);
        };
        qInfo("sign-ins at %d iterations, %d in flight, %d cores, median of %d rounds:", iterations,
              inFlight, QThread::idealThreadCount(), rounds);
        qInfo("  server                         %7.1f/s  (%.1f ms server CPU per sign-in)",
              median(server_), median(cpuPerSignIn));
        qInfo("  OpenSSL PBKDF2 in process      %7.1f/s  ratio %.2f (target 0.8)",
              median(inProcess), median(server_) / median(inProcess));
        qInfo("  openssl kdf, a process a core  %7.1f/s  ratio %.2f", median(command),
              median(server_) / median(command));
        QCOMPARE(server.stop(), 0);
    }

    /// The buy path while a sign-in storm runs: the same open-loop buys (real reservations)
    /// measured quiet and during the storm, in one run.
    void buyLatencyDuringASignInStorm()
    {
        const QString databaseUrl = TestServices::instance().createDatabase();
        ServerProcess server;
        // (The last --password-iterations given counts: the server's default here.)
        QVERIFY2(
            server.start(ShopClient::serverArgs({QStringLiteral("--role"), QStringLiteral("api"),
                                                 QStringLiteral("--password-iterations"),
                                                 QString::number(iterations)}),
                         ShopClient::environment(databaseUrl)),
            qPrintable(server.output()));
        QVERIFY(ShopClient::offsetGoodsIds(databaseUrl));
        ShopClient client;
        const qint64 goodsId = client.liveSale(server, QStringLiteral("Storm"), 1'000'000);
        QVERIFY(goodsId > 0);
        QByteArray saleSecret;
        {
            const auto opened = flashsale::db::openDatabase(
                flashsale::db::DatabaseUrl::parse(databaseUrl).value(), QStringLiteral("storm"));
            QVERIFY2(opened.ok(), qPrintable(opened.error()));
            QSqlQuery q(opened.value());
            QVERIFY(
                q.exec(QStringLiteral("SELECT path_secret FROM miaosha_goods WHERE goods_id = %1")
                           .arg(goodsId))
                && q.next());
            saleSecret = q.value(0).toByteArray();
        }
        flashsale::db::closeDatabase(QStringLiteral("storm"));
        const flashsale::users::SessionTokens tokens(ShopClient::sessionSecret, 3600);
        const flashsale::sale::PathSigner signer(saleSecret);
        qint64 nextShopper = 1;
        const auto nextBuy = [&] {
            const qint64 user = nextShopper++;
            QNetworkRequest request(
                server.baseUrl().resolved(QUrl(QStringLiteral("/api/sales/%1/%2/orders")
                                                   .arg(goodsId)
                                                   .arg(signer.path(user, goodsId)))));
            request.setRawHeader(
                "Authorization",
                "Bearer " + tokens.issue(user, QDateTime::currentMSecsSinceEpoch()).toLatin1());
            request.setTransferTimeout(30'000);
            return request;
        };

        // The storm: as many sign-ins as the server takes, 16 in flight, for the whole phase.
        QNetworkAccessManager stormNetwork;
        const QUrl users = server.baseUrl().resolved(QUrl(QStringLiteral("/api/users")));
        const QUrl sessions = server.baseUrl().resolved(QUrl(QStringLiteral("/api/sessions")));
        const QByteArray credentials =
            QJsonDocument(QJsonObject {{QStringLiteral("username"), QStringLiteral("storm")},
                                       {QStringLiteral("password"), QStringLiteral("secret-pw")}})
                .toJson(QJsonDocument::Compact);
        const auto post = [&](const QUrl &url) {
            QNetworkRequest request(url);
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
            request.setTransferTimeout(120'000);
            return stormNetwork.post(request, credentials);
        };
        {
            QNetworkReply *created = post(users);
            QTRY_VERIFY_WITH_TIMEOUT(created->isFinished(), 30'000);
            QCOMPARE(created->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 201);
            created->deleteLater();
        }
        bool storming = false;
        int signedIn = 0, signInsOut = 0;
        std::function<void()> signIn = [&] {
            QNetworkReply *reply = post(sessions);
            ++signInsOut;
            QObject::connect(reply, &QNetworkReply::finished, &stormNetwork, [&, reply] {
                --signInsOut;
                signedIn +=
                    reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200;
                reply->deleteLater();
                if (storming)
                    signIn();
            });
        };

        constexpr int intervalMs = 5; // 200 buys a second
        constexpr int phaseMs = 6000;
        BuyProbe probe;
        struct Phase
        {
            double p50, p90, p99, max;
            int buys;
            double signInsPerSecond;
            double cpuPercent;
        };
        // QTRY_* returns from the lambda on failure: the caller checks currentTestFailed().
        const auto measure = [&](bool storm, Phase &phase) {
            if (storm) {
                storming = true;
                for (int i = 0; i < 16; ++i)
                    signIn();
                // Until the hashing threads are busy: the first answers are in.
                QTRY_VERIFY_WITH_TIMEOUT(signedIn >= 4, 60'000);
            }
            const int signedBefore = signedIn;
            const double cpuBefore = cpuSeconds(server.process().processId());
            QElapsedTimer timer;
            timer.start();
            probe.run(nextBuy, intervalMs, phaseMs);
            const double seconds = timer.elapsed() / 1000.0;
            phase = {probe.percentile(0.5),
                     probe.percentile(0.9),
                     probe.percentile(0.99),
                     probe.percentile(1.0),
                     int(probe.latenciesMs.size()),
                     (signedIn - signedBefore) / seconds,
                     (cpuSeconds(server.process().processId()) - cpuBefore) * 100 / seconds};
            if (storm) {
                storming = false;
                QTRY_VERIFY_WITH_TIMEOUT(signInsOut == 0, 120'000);
            }
        };
        QList<Phase> quiet, storm;
        for (int round = 0; round < rounds; ++round) {
            quiet.append(Phase {});
            measure(false, quiet.last());
            QVERIFY(!QTest::currentTestFailed());
            QCOMPARE(probe.other, 0);
            storm.append(Phase {});
            measure(true, storm.last());
            QVERIFY(!QTest::currentTestFailed());
            QCOMPARE(probe.other, 0);
            QVERIFY(storm.last().signInsPerSecond > 0);
            for (const auto &[name, p] :
                 {std::pair {"quiet", quiet.last()}, std::pair {"storm", storm.last()}})
                qInfo("round %d %s: %d buys, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.1f ms; "
                      "%.1f sign-ins/s; server CPU %.0f%%",
                      round + 1, name, p.buys, p.p50, p.p90, p.p99, p.max, p.signInsPerSecond,
                      p.cpuPercent);
        }
        const auto median = [](QList<Phase> phases, double Phase::*field) {
            QList<double> v;
            for (const Phase &p : phases)
                v.append(p.*field);
            std::sort(v.begin(), v.end());
            return v.at(v.size() / 2);
        };
        qInfo("buys open-loop at %d/s (new shopper each, real reservations), median of %d "
              "rounds:",
              1000 / intervalMs, rounds);
        qInfo("  quiet:              p50 %6.2f ms  p99 %6.2f ms", median(quiet, &Phase::p50),
              median(quiet, &Phase::p99));
        qInfo("  during sign-ins:    p50 %6.2f ms  p99 %6.2f ms  (%.1f sign-ins/s at %d "
              "iterations, 16 in flight)",
              median(storm, &Phase::p50), median(storm, &Phase::p99),
              median(storm, &Phase::signInsPerSecond), iterations);
        qInfo("  p99 storm / quiet:  %.2f",
              median(storm, &Phase::p99) / median(quiet, &Phase::p99));
        QCOMPARE(server.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(bench_SignIn)
#include "bench_signin.moc"
