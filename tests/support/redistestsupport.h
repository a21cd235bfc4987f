#pragma once

#include "redis.h"
#include "redisconnection.h"

#include <QRandomGenerator>
#include <QTest>

#include <optional>

namespace flashsale::test {

/// Sends one command and waits for its reply (a Failure if none came in \a timeoutMs).
template<typename Client>
redis::RedisReply awaitReply(Client &client, const QList<QByteArray> &args, int timeoutMs = 10'000)
{
    std::optional<redis::RedisReply> reply;
    QObject context;
    client.command(args, &context, [&reply](const redis::RedisReply &r) { reply = r; });
    if (!QTest::qWaitFor([&reply] { return reply.has_value(); }, timeoutMs))
        return redis::RedisReply::failure(QStringLiteral("test: no reply in time"));
    return *reply;
}

/// Waits for a typed SaleScripts result: call(context, done) must call done(value) once.
template<typename Value, typename Call>
std::optional<Value> awaitResult(Call call, int timeoutMs = 10'000)
{
    std::optional<Value> value;
    QObject context;
    call(&context, [&value](const Value &v) { value = v; });
    if (!QTest::qWaitFor([&value] { return value.has_value(); }, timeoutMs))
        return std::nullopt;
    return value;
}

/// A goods id no other test (and no earlier run against the same stack) uses.
inline qint64 freshGoodsId()
{
    static qint64 next = 1'000'000 + qint64(QRandomGenerator::global()->bounded(1'000'000'000));
    return next += 1'000;
}

} // namespace flashsale::test
