#include "serverprocess.h"
#include "shopclient.h"
#include "testservices.h"

#include <QElapsedTimer>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTest>
#include <QThread>

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

/// The `openssl kdf` command line, one process per core, for \a ms (the baseline).
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
};

QTEST_GUILESS_MAIN(bench_SignIn)
#include "bench_signin.moc"
