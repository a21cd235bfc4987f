#include "redis.h"
#include "redistestsupport.h"
#include "salescripts.h"
#include "testservices.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using namespace flashsale::redis;
using flashsale::test::awaitReply;
using flashsale::test::TestServices;

/// The client against a real redis-server: pipelining, deadlines, failing fast, pub/sub,
/// NOSCRIPT, and the server restarted underneath it.
class TestRedisClient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void pipelinesManyCommandsInOrder();
    void callbackNeverRunsInsideTheCall();
    void failsFastWhileDisconnected();
    void commandDeadlineFailsAndReconnects();
    void destroyedContextGetsNoCallback();
    void reloadsScriptsAfterNoScript();
    void publishAndSubscribe();
    void survivesARestartWithoutLosingCallbacks();

private:
    std::unique_ptr<Redis> connect(const RedisOptions &options = {});
    static QByteArray uniqueKey(const char *name);
};

void TestRedisClient::initTestCase()
{
    QVERIFY(!TestServices::instance().redisUrl().isEmpty());
}

std::unique_ptr<Redis> TestRedisClient::connect(const RedisOptions &options)
{
    auto opened = Redis::open(TestServices::instance().redisUrl(), options);
    if (!opened)
        qFatal("%s", qPrintable(opened.error()));
    std::unique_ptr<Redis> redis = std::move(opened).value();
    if (!QTest::qWaitFor([&] { return redis->isConnected(); }, 10'000))
        qFatal("redis did not connect");
    return redis;
}

QByteArray TestRedisClient::uniqueKey(const char *name)
{
    return QByteArray("test:") + name + ':' + QUuid::createUuid().toByteArray(QUuid::Id128);
}

void TestRedisClient::pipelinesManyCommandsInOrder()
{
    auto redis = connect();
    const QByteArray key = uniqueKey("pipeline");
    constexpr int count = 10'000;
    QList<qint64> seen;
    seen.reserve(count);
    int errors = 0;
    QObject context;
    for (int i = 0; i < count; ++i) {
        redis->command({"INCR", key}, &context, [&](const RedisReply &reply) {
            if (reply.isError())
                ++errors;
            seen.append(reply.toInteger());
        });
    }
    QVERIFY(QTest::qWaitFor([&] { return seen.size() == count; }, 10'000));
    QCOMPARE(errors, 0);
    // One connection, replies matched in order: the i-th callback sees the i-th increment.
    for (int i = 0; i < count; ++i)
        QCOMPARE(seen[i], qint64(i + 1));
    QCOMPARE(awaitReply(*redis, {"DEL", key}).toInteger(), 1);
}

void TestRedisClient::callbackNeverRunsInsideTheCall()
{
    auto redis = connect();
    bool called = false;
    QObject context;
    redis->command({"PING"}, &context, [&](const RedisReply &) { called = true; });
    QVERIFY(!called);
    QVERIFY(QTest::qWaitFor([&] { return called; }, 10'000));
}

void TestRedisClient::failsFastWhileDisconnected()
{
    // Nothing listens on port 1: the client keeps trying, and commands fail meanwhile.
    RedisOptions options;
    options.commandTimeoutMs = 60'000;
    options.connectTimeoutMs = 60'000;
    auto opened = Redis::open(QStringLiteral("redis://127.0.0.1:1"), options);
    QVERIFY(opened.ok());
    std::unique_ptr<Redis> redis = std::move(opened).value();
    QVERIFY(!redis->isConnected());
    std::optional<RedisReply> reply;
    QObject context;
    redis->command({"PING"}, &context, [&](const RedisReply &r) { reply = r; });
    QVERIFY(!reply.has_value());
    // Well before any of the 60 s timeouts.
    QVERIFY(QTest::qWaitFor([&] { return reply.has_value(); }, 5'000));
    QVERIFY(reply->isFailure());
    QVERIFY2(reply->errorMessage().contains(u"not connected"), qPrintable(reply->errorMessage()));
    QVERIFY2(reply->errorMessage().contains(u"127.0.0.1:1"), qPrintable(reply->errorMessage()));

    // The same through the typed scripts: an Error outcome with the reason.
    SaleScripts scripts(redis.get());
    const auto outcome = flashsale::test::awaitResult<ReserveOutcome>(
        [&](QObject *ctx, auto done) { scripts.reserve(1, 1, ctx, done); });
    QVERIFY(outcome.has_value());
    QCOMPARE(outcome->kind, ReserveOutcome::Kind::Error);
    QVERIFY(outcome->error.contains(u"not connected"));
}

void TestRedisClient::commandDeadlineFailsAndReconnects()
{
    RedisOptions options;
    options.commandTimeoutMs = 300;
    auto redis = connect(options);
    QSignalSpy disconnected(redis.get(), &Redis::disconnected);
    QSignalSpy connected(redis.get(), &Redis::connected);
    // BLPOP blocks for 5 s on the server, far past the 300 ms deadline; the PING queued
    // behind it on the same connection cannot be answered before it either.
    std::optional<RedisReply> blocked, behind;
    QObject context;
    redis->command({"BLPOP", uniqueKey("nothing"), "5"}, &context,
                   [&](const RedisReply &r) { blocked = r; });
    redis->command({"PING"}, &context, [&](const RedisReply &r) { behind = r; });
    QVERIFY(QTest::qWaitFor([&] { return blocked.has_value() && behind.has_value(); }, 4'000));
    QVERIFY(blocked->isFailure());
    QVERIFY2(blocked->errorMessage().contains(u"timed out"), qPrintable(blocked->errorMessage()));
    QVERIFY(behind->isFailure());
    QCOMPARE(disconnected.size(), 1);
    // It comes back by itself and works again.
    QVERIFY(QTest::qWaitFor([&] { return connected.size() == 1 && redis->isConnected(); }, 10'000));
    QCOMPARE(awaitReply(*redis, {"PING"}).bytes(), QByteArray("PONG"));
}

void TestRedisClient::destroyedContextGetsNoCallback()
{
    auto redis = connect();
    int called = 0;
    auto *context = new QObject;
    for (int i = 0; i < 100; ++i)
        redis->command({"PING"}, context, [&](const RedisReply &) { ++called; });
    delete context;
    // Everything sent after them has been answered, so theirs would have been too.
    QCOMPARE(awaitReply(*redis, {"PING"}).bytes(), QByteArray("PONG"));
    QCOMPARE(called, 0);
}

void TestRedisClient::reloadsScriptsAfterNoScript()
{
    auto redis = connect();
    const RedisScript script(QStringLiteral("echo"),
                             "return {KEYS[1], ARGV[1], '" + uniqueKey("salt") + "'}");
    QCOMPARE(awaitReply(*redis, {"SCRIPT", "FLUSH"}).bytes(), QByteArray("OK"));
    std::optional<RedisReply> reply;
    QObject context;
    redis->evalScript(script, {"k"}, {"v"}, &context, [&](const RedisReply &r) { reply = r; });
    QVERIFY(QTest::qWaitFor([&] { return reply.has_value(); }, 10'000));
    QVERIFY2(!reply->isError(), qPrintable(reply->toString()));
    QCOMPARE(reply->elements().value(1).bytes(), QByteArray("v"));
    // Now the server has it: EVALSHA alone works.
    const RedisReply direct = awaitReply(*redis, {"EVALSHA", script.sha1(), "1", "k", "w"});
    QCOMPARE(direct.elements().value(1).bytes(), QByteArray("w"));
}

void TestRedisClient::publishAndSubscribe()
{
    auto redis = connect();
    const QByteArray channel = uniqueKey("channel");
    QList<QByteArray> received;
    QObject listener;
    QSignalSpy active(redis.get(), &Redis::subscriptionsActive);
    redis->subscribe(channel, &listener, [&](const QByteArray &ch, const QByteArray &message) {
        QCOMPARE(ch, channel);
        received.append(message);
    });
    QVERIFY(QTest::qWaitFor([&] { return active.size() == 1; }, 10'000));
    QCOMPARE(awaitReply(*redis, {"PUBLISH", channel, "one"}).toInteger(), 1);
    QVERIFY(QTest::qWaitFor([&] { return received.size() == 1; }, 10'000));
    QCOMPARE(received.first(), QByteArray("one"));

    // A second subscriber on its own context; the first one ends with its context.
    QList<QByteArray> second;
    {
        QObject shortLived;
        redis->subscribe(channel, &shortLived,
                         [&](const QByteArray &, const QByteArray &m) { second.append(m); });
        redis->publish(channel, "two");
        QVERIFY(
            QTest::qWaitFor([&] { return received.size() == 2 && second.size() == 1; }, 10'000));
    }
    redis->publish(channel, "three");
    QVERIFY(QTest::qWaitFor([&] { return received.size() == 3; }, 10'000));
    QCOMPARE(second.size(), 1);
}

void TestRedisClient::survivesARestartWithoutLosingCallbacks()
{
    auto redis = connect();
    const QByteArray key = uniqueKey("restart");
    const QByteArray channel = uniqueKey("restart-channel");
    const RedisScript script(QStringLiteral("incr"),
                             "return redis.call('INCR', KEYS[1]) -- " + uniqueKey("salt"));
    QList<QByteArray> messages;
    QObject listener;
    QSignalSpy active(redis.get(), &Redis::subscriptionsActive);
    redis->subscribe(channel, &listener,
                     [&](const QByteArray &, const QByteArray &m) { messages.append(m); });
    QVERIFY(QTest::qWaitFor([&] { return active.size() == 1; }, 10'000));
    QSignalSpy disconnected(redis.get(), &Redis::disconnected);
    QSignalSpy connected(redis.get(), &Redis::connected);

    // A steady stream of commands, half of them scripts, while the server restarts.
    QList<int> calls; // per command: how often its callback ran
    int succeeded = 0, failed = 0, succeededAfterRestart = 0, noScriptSeen = 0;
    bool restarted = false;
    QObject context;
    QTimer firing;
    firing.setInterval(1);
    QObject::connect(&firing, &QTimer::timeout, &context, [&] {
        for (int burst = 0; burst < 4; ++burst) {
            const qsizetype id = calls.size();
            calls.append(0);
            auto done = [&, id](const RedisReply &reply) {
                ++calls[id];
                if (reply.isErrorCode("NOSCRIPT"))
                    ++noScriptSeen;
                if (reply.isError()) {
                    ++failed;
                    return;
                }
                ++succeeded;
                if (restarted)
                    ++succeededAfterRestart;
            };
            if (id % 2)
                redis->evalScript(script, {key}, {}, &context, done);
            else
                redis->command({"INCR", key}, &context, done);
        }
    });
    firing.start();
    QVERIFY(QTest::qWaitFor([&] { return succeeded > 200; }, 10'000));

    QProcess stack;
    stack.setProcessChannelMode(QProcess::ForwardedChannels);
    stack.start(
        TestServices::sourceDir() + QStringLiteral("/packaging/stack"),
        {QStringLiteral("restart"), QStringLiteral("redis"), TestServices::instance().stackDir()});
    QVERIFY(QTest::qWaitFor([&] { return stack.state() == QProcess::NotRunning; }, 60'000));
    QCOMPARE(stack.exitCode(), 0);
    restarted = true;
    QVERIFY(QTest::qWaitFor([&] { return redis->isConnected() && succeededAfterRestart > 500; },
                            30'000));
    firing.stop();
    const qsizetype issued = calls.size();
    QVERIFY(QTest::qWaitFor([&] { return succeeded + failed == issued; }, 10'000));

    // Every callback ran exactly once; the outage was seen and reported once.
    for (qsizetype i = 0; i < issued; ++i)
        QVERIFY2(
            calls[i] == 1,
            qPrintable(QStringLiteral("command %1 called back %2 times").arg(i).arg(calls[i])));
    QVERIFY(failed > 0);
    QCOMPARE(disconnected.size(), 1);
    QCOMPARE(connected.size(), 1);
    // Scripts were reloaded by the client: no caller ever saw NOSCRIPT.
    QCOMPARE(noScriptSeen, 0);
    // Every acknowledged increment is in the counter (AOF, clean shutdown); increments
    // whose reply was lost may have happened too, never more than were sent.
    const qint64 counter = awaitReply(*redis, {"GET", key}).toInteger();
    QVERIFY2(counter >= succeeded && counter <= issued,
             qPrintable(QStringLiteral("counter %1, acknowledged %2, sent %3")
                            .arg(counter)
                            .arg(succeeded)
                            .arg(issued)));
    // The subscription came back too.
    QVERIFY(QTest::qWaitFor([&] { return active.size() == 2; }, 10'000));
    redis->publish(channel, "after");
    QVERIFY(QTest::qWaitFor([&] { return messages.contains("after"); }, 10'000));
}

QTEST_GUILESS_MAIN(TestRedisClient)
#include "tst_redisclient.moc"
