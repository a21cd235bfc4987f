#include "signinbrake.h"

#include "redis.h"
#include "redisscript.h"

#include <QCryptographicHash>
#include <QLoggingCategory>

#include <memory>

namespace flashsale::users {

Q_LOGGING_CATEGORY(lcBrake, "flashsale.users.brake")

namespace {

const redis::RedisScript &brakeScript()
{
    static const redis::RedisScript script = [] {
        Result<redis::RedisScript> loaded = redis::RedisScript::fromFile(u":/lua/brake.lua"_qs);
        // A missing resource is a build defect (flashsale::lua not linked), not a runtime state.
        if (!loaded)
            qFatal("%s", qPrintable(loaded.error()));
        return loaded.value();
    }();
    return script;
}

} // namespace

/// One braked name's keys: `flashsale:brake:{<kind>:<digest>}:hits` and `...:state`. A
/// digest, so that any username or address makes a short key that cannot break the tag.
struct SignInBrake::Name
{
    Name(char kind, const QString &name)
    {
        const QByteArray tag = QByteArrayLiteral("flashsale:brake:{") + kind + ':'
            + QCryptographicHash::hash(name.toUtf8(), QCryptographicHash::Sha256).left(12).toHex()
            + '}';
        hits = tag + ":hits";
        state = tag + ":state";
    }
    QByteArray hits; ///< attempt times
    QByteArray state; ///< hold-off and counter
};

SignInBrake::SignInBrake(redis::Redis *redis, SignInBrakeOptions options)
    : m_redis(redis)
    , m_options(options)
{ }

void SignInBrake::run(const Name &name, const QByteArray &op, const BrakeLimits &limits,
                      QObject *context, Answer done) const
{
    m_redis->evalScript(
        brakeScript(), {name.hits, name.state},
        {op, QByteArray::number(limits.windowMs), QByteArray::number(limits.threshold),
         QByteArray::number(limits.firstHoldOffMs), QByteArray::number(limits.longestHoldOffMs)},
        context, [done = std::move(done)](const redis::RedisReply &reply) {
            if (reply.type() != redis::RedisReply::Type::Array || reply.elements().size() != 2) {
                const QString why = reply.isError()
                    ? reply.errorMessage()
                    : u"unexpected reply to brake: "_qs + reply.toString();
                done(Result<qint64>::failure(why));
                return;
            }
            done(reply.elements().at(0).toInteger());
        });
}

void SignInBrake::both(const Name &first, const Name &second, const QByteArray &op,
                       const BrakeLimits &firstLimits, const BrakeLimits &secondLimits,
                       QObject *context, Answer done) const
{
    // Two names live in two slots (a cluster may hold them on two nodes): two calls, and
    // the longer hold-off of the two is the answer.
    struct Pair
    {
        int waiting = 2;
        qint64 holdOffMs = 0;
        QString error;
        Answer done;
    };
    auto pair = std::make_shared<Pair>();
    pair->done = std::move(done);
    const auto one = [pair](const Result<qint64> &answer) {
        if (answer)
            pair->holdOffMs = std::max(pair->holdOffMs, answer.value());
        else
            pair->error = answer.error();
        if (--pair->waiting > 0)
            return;
        if (!pair->error.isEmpty())
            pair->done(Result<qint64>::failure(pair->error));
        else
            pair->done(pair->holdOffMs);
    };
    run(first, op, firstLimits, context, one);
    run(second, op, secondLimits, context, one);
}

void SignInBrake::checkSignIn(const QString &username, const QString &address, QObject *context,
                              Answer done) const
{
    both(Name('u', username), Name('a', address), "check", m_options.failuresPerUsername,
         m_options.failuresPerAddress, context, std::move(done));
}

void SignInBrake::recordFailure(const QString &username, const QString &address, QObject *context,
                                Answer done) const
{
    both(Name('u', username), Name('a', address), "hit", m_options.failuresPerUsername,
         m_options.failuresPerAddress, context,
         [username, address, done = std::move(done)](const Result<qint64> &holdOff) {
             // Under attack every failure would be a line: log the brake engaging instead.
             if (holdOff && holdOff.value() > 0)
                 qCInfo(lcBrake).noquote() << "sign-in braked for" << holdOff.value()
                                           << "ms:" << username << "from" << address;
             done(holdOff);
         });
}

void SignInBrake::recordSuccess(const QString &username, QObject *context, Answer done) const
{
    run(Name('u', username), "reset", m_options.failuresPerUsername, context, std::move(done));
}

void SignInBrake::checkSignUp(const QString &address, QObject *context, Answer done) const
{
    run(Name('s', address), "check", m_options.signUpsPerAddress, context, std::move(done));
}

void SignInBrake::recordSignUp(const QString &address, QObject *context, Answer done) const
{
    run(Name('s', address), "hit", m_options.signUpsPerAddress, context, std::move(done));
}

} // namespace flashsale::users
