// Reserve throughput of the client against redis-benchmark running EVALSHA of the same
// script with the same number of connections, in the same run, on the same Redis:
// without pipelining (one reserve in flight per connection) and with pipelining.
//
//   bench_reserve [connections] [requests] [pipeline depth]      defaults: 16 100000 16

#include "redis.h"
#include "salescripts.h"
#include "testservices.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace flashsale::redis;
using flashsale::test::TestServices;

namespace {

int connections = 16;
qint64 requests = 100'000;
int depth = 16;
RedisEndpoint server;
qint64 nextGoods = 0;
qint64 nextUser = 0;

std::unique_ptr<Redis> connectTo(const QString &url)
{
    auto opened = Redis::open(url);
    if (!opened)
        qFatal("%s", qPrintable(opened.error()));
    std::unique_ptr<Redis> redis = std::move(opened).value();
    QEventLoop loop;
    QObject::connect(redis.get(), &Redis::connected, &loop, &QEventLoop::quit);
    QTimer::singleShot(10'000, &loop, &QEventLoop::quit);
    if (!redis->isConnected())
        loop.exec();
    if (!redis->isConnected())
        qFatal("redis did not connect");
    return redis;
}

/// A fresh product with (practically) endless stock, so every reserve does the full work.
qint64 freshSale(const SaleScripts &scripts)
{
    const qint64 goodsId = ++nextGoods;
    QEventLoop loop;
    PreloadOutcome result;
    QObject context;
    scripts.preload(goodsId, 1'000'000'000'000, &context, [&](const PreloadOutcome &o) {
        result = o;
        loop.quit();
    });
    loop.exec();
    if (result.kind != PreloadOutcome::Kind::Loaded)
        qFatal("preload failed: %s", qPrintable(result.error));
    return goodsId;
}

/// Reserves per second of this client with \a inFlight reserves per connection.
double ours(int inFlight)
{
    std::vector<std::unique_ptr<Redis>> clients;
    std::vector<SaleScripts> scripts;
    for (int i = 0; i < connections; ++i) {
        clients.push_back(connectTo(QStringLiteral("redis://") + server.toString()));
        scripts.emplace_back(clients.back().get());
    }
    const qint64 goodsId = freshSale(scripts.front());
    qint64 sent = 0, done = 0, failed = 0;
    QString firstError;
    QEventLoop loop;
    QObject context;
    std::function<void(const SaleScripts &)> fire = [&](const SaleScripts &on) {
        if (sent == requests)
            return;
        ++sent;
        on.reserve(goodsId, ++nextUser, &context, [&](const ReserveOutcome &outcome) {
            ++done;
            if (outcome.kind != ReserveOutcome::Kind::Reserved) {
                if (failed++ == 0)
                    firstError = outcome.error.isEmpty() ? QString::number(int(outcome.kind))
                                                         : outcome.error;
            }
            if (done == requests)
                loop.quit();
            else
                fire(on);
        });
    };
    QElapsedTimer clock;
    clock.start();
    for (const SaleScripts &on : scripts) {
        for (int i = 0; i < inFlight; ++i)
            fire(on);
    }
    loop.exec();
    const double seconds = double(clock.nsecsElapsed()) / 1e9;
    if (failed)
        qFatal("%lld reserves were not Reserved, first: %s", failed, qPrintable(firstError));
    return double(requests) / seconds;
}

/// Reserves per second of redis-benchmark doing EVALSHA of the same script.
double redisBenchmark(int pipeline, const QByteArray &sha)
{
    std::unique_ptr<Redis> client = connectTo(QStringLiteral("redis://") + server.toString());
    const SaleScripts scripts(client.get());
    const qint64 goodsId = freshSale(scripts);
    QStringList args {QStringLiteral("-h"),   server.host,
                      QStringLiteral("-p"),   QString::number(server.port),
                      QStringLiteral("-c"),   QString::number(connections),
                      QStringLiteral("-n"),   QString::number(requests),
                      QStringLiteral("-P"),   QString::number(pipeline),
                      QStringLiteral("-r"),   QStringLiteral("1000000000"),
                      QStringLiteral("--csv")};
    // The same keys and arguments as SaleScripts::reserve; each __rand_int__ becomes a
    // random shopper.
    const QList<QByteArray> reserve = scripts.reserveCommand(goodsId, "__rand_int__");
    if (reserve.value(1) != sha)
        qFatal("the reserve script's digest differs from the one loaded");
    for (const QByteArray &part : reserve)
        args.append(QString::fromUtf8(part));
    QProcess process;
    process.start(QStringLiteral("redis-benchmark"), args);
    if (!process.waitForFinished(300'000) || process.exitCode() != 0)
        qFatal("redis-benchmark failed: %s", process.readAllStandardError().constData());
    const QList<QByteArray> lines = process.readAllStandardOutput().trimmed().split('\n');
    const QList<QByteArray> fields = lines.last().split(',');
    bool ok = false;
    const double rps = fields.value(1).replace('"', "").toDouble(&ok);
    if (!ok)
        qFatal("cannot read redis-benchmark's output: %s", lines.last().constData());
    return rps;
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = app.arguments();
    if (arguments.size() > 1)
        connections = arguments[1].toInt();
    if (arguments.size() > 2)
        requests = arguments[2].toLongLong();
    if (arguments.size() > 3)
        depth = arguments[3].toInt();
    if (connections < 1 || requests < 1 || depth < 1)
        qFatal("usage: bench_reserve [connections] [requests] [pipeline depth]");
    server = RedisUrl::parse(TestServices::instance().redisUrl())->nodes.first();
    nextGoods = 2'000'000'000 + qint64(QRandomGenerator::global()->bounded(1'000'000'000));
    nextUser = qint64(QRandomGenerator::global()->bounded(1'000'000)) * 1'000'000'000;
    {
        std::unique_ptr<Redis> loader = connectTo(QStringLiteral("redis://") + server.toString());
        QEventLoop loop;
        QObject context;
        loader->command({"SCRIPT", "LOAD", SaleScripts::reserveScript().source()}, &context,
                        [&](const RedisReply &reply) {
                            if (reply.bytes() != SaleScripts::reserveScript().sha1())
                                qFatal("SCRIPT LOAD: %s", qPrintable(reply.toString()));
                            loop.quit();
                        });
        loop.exec();
    }
    const QByteArray sha = SaleScripts::reserveScript().sha1();
    std::printf("reserve throughput on redis %s: %d connections, %lld reserves per run, "
                "3 rounds, median\n",
                qPrintable(server.toString()), connections, requests);

    QList<double> baseline, client, baselinePipelined, clientPipelined;
    for (int round = 1; round <= 3; ++round) {
        baseline.append(redisBenchmark(1, sha));
        client.append(ours(1));
        baselinePipelined.append(redisBenchmark(depth, sha));
        clientPipelined.append(ours(depth));
        std::printf("  round %d: redis-benchmark %.0f/s, client %.0f/s | pipelined %d: "
                    "redis-benchmark %.0f/s, client %.0f/s\n",
                    round, baseline.last(), client.last(), depth, baselinePipelined.last(),
                    clientPipelined.last());
        std::fflush(stdout);
    }
    const double b = median(baseline), c = median(client);
    const double bp = median(baselinePipelined), cp = median(clientPipelined);
    std::printf("no pipelining:  redis-benchmark -P 1   %9.0f reserves/s   client %9.0f "
                "reserves/s   ratio %.2f\n",
                b, c, c / b);
    std::printf("pipelined:      redis-benchmark -P %-3d %9.0f reserves/s   client %9.0f "
                "reserves/s   ratio %.2f\n",
                depth, bp, cp, cp / bp);
    std::printf("pipelining adds: client x%.2f (%d in flight per connection)\n", cp / c, depth);
    return 0;
}
