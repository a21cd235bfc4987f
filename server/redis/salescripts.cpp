#include "salescripts.h"

#include "salekeys.h"

namespace flashsale::redis {

namespace {

RedisScript compiledIn(const char *name)
{
    const QString path = QStringLiteral(":/lua/%1.lua").arg(QLatin1String(name));
    Result<RedisScript> script = RedisScript::fromFile(path);
    // A missing resource is a build defect (flashsale::lua not linked), not a runtime state.
    if (!script)
        qFatal("%s", qPrintable(script.error()));
    return script.value();
}

QByteArray rollbackReasonText(RollbackReason reason)
{
    return reason == RollbackReason::Cancelled ? QByteArrayLiteral("cancelled")
                                               : QByteArrayLiteral("failed");
}

} // namespace

const RedisScript &SaleScripts::reserveScript()
{
    static const RedisScript script = compiledIn("reserve");
    return script;
}

const RedisScript &SaleScripts::rollbackScript()
{
    static const RedisScript script = compiledIn("rollback");
    return script;
}

const RedisScript &SaleScripts::confirmScript()
{
    static const RedisScript script = compiledIn("confirm");
    return script;
}

const RedisScript &SaleScripts::confirmManyScript()
{
    static const RedisScript script = compiledIn("confirm_many");
    return script;
}

const RedisScript &SaleScripts::preloadScript()
{
    static const RedisScript script = compiledIn("preload");
    return script;
}

const RedisScript &SaleScripts::pendingScript()
{
    static const RedisScript script = compiledIn("pending");
    return script;
}

const RedisScript &SaleScripts::inventoryScript()
{
    static const RedisScript script = compiledIn("inventory");
    return script;
}

SaleScripts::SaleScripts(Redis *redis, int windowMs)
    : m_redis(redis)
    , m_windowMs(QByteArray::number(std::max(1, windowMs)))
{ }

QList<QByteArray> SaleScripts::reserveKeys(qint64 goodsId, const QList<ReserveAsk> &asks)
{
    const SaleKeys keys(goodsId);
    QList<QByteArray> list {keys.stock, keys.sequence, keys.results, keys.pending, keys.soldOut};
    list.reserve(5 + 2 * asks.size());
    for (const ReserveAsk &ask : asks) {
        list.append(keys.window(ask.userId));
        list.append(keys.addressWindow(
            ask.address.windowMs > 0 ? QByteArrayView(ask.address.address) : "-"));
    }
    return list;
}

QList<QByteArray> SaleScripts::reserveArgs(qint64 goodsId, const QList<ReserveAsk> &asks) const
{
    QList<QByteArray> list {m_windowMs, QByteArray::number(goodsId), SaleKeys::eventChannel()};
    list.reserve(3 + 2 * asks.size());
    for (const ReserveAsk &ask : asks) {
        list.append(QByteArray::number(ask.userId));
        list.append(QByteArray::number(std::max(0, ask.address.windowMs)));
    }
    return list;
}

QList<QByteArray> SaleScripts::reserveCommand(qint64 goodsId, const QByteArray &user) const
{
    QList<QByteArray> keys = reserveKeys(goodsId, {ReserveAsk {}});
    QList<QByteArray> args = reserveArgs(goodsId, {ReserveAsk {}});
    const QByteArray window = SaleKeys(goodsId).window(0);
    for (QByteArray &key : keys) {
        if (key == window)
            key = window.chopped(1) + user; // `...:win:0` -> `...:win:<user>`
    }
    args[3] = user; // the shopper's id, after the window, goods and channel
    return QList<QByteArray> {"EVALSHA", reserveScript().sha1(), QByteArray::number(keys.size())}
    + keys + args;
}

void SaleScripts::reserve(qint64 goodsId, qint64 userId, QObject *context,
                          std::function<void(const ReserveOutcome &)> done) const
{
    reserve(goodsId, userId, AddressWindow {}, context, std::move(done));
}

void SaleScripts::reserve(qint64 goodsId, qint64 userId, const AddressWindow &address,
                          QObject *context, std::function<void(const ReserveOutcome &)> done) const
{
    const QList<ReserveAsk> asks {ReserveAsk {userId, address}};
    m_redis->evalScript(reserveScript(), reserveKeys(goodsId, asks), reserveArgs(goodsId, asks),
                        context,
                        [goodsId, userId, done = std::move(done)](const RedisReply &reply) {
                            done(ReserveOutcome::fromReply(goodsId, userId, reply));
                        });
}

void SaleScripts::reserveMany(qint64 goodsId, const QList<ReserveAsk> &asks, QObject *context,
                              std::function<void(const QList<ReserveOutcome> &)> done) const
{
    QList<qint64> users;
    users.reserve(asks.size());
    for (const ReserveAsk &ask : asks)
        users.append(ask.userId);
    m_redis->evalScript(reserveScript(), reserveKeys(goodsId, asks), reserveArgs(goodsId, asks),
                        context, [goodsId, users, done = std::move(done)](const RedisReply &reply) {
                            done(ReserveOutcome::fromReplies(goodsId, users, reply));
                        });
}

void SaleScripts::preload(qint64 goodsId, qint64 stock, QObject *context,
                          std::function<void(const PreloadOutcome &)> done) const
{
    load(goodsId, "load", stock, context, std::move(done));
}

void SaleScripts::topUp(qint64 goodsId, qint64 units, QObject *context,
                        std::function<void(const PreloadOutcome &)> done) const
{
    load(goodsId, "topup", units, context, std::move(done));
}

void SaleScripts::load(qint64 goodsId, const QByteArray &mode, qint64 units, QObject *context,
                       std::function<void(const PreloadOutcome &)> done) const
{
    const SaleKeys keys(goodsId);
    m_redis->evalScript(
        preloadScript(), {keys.stock, keys.total, keys.soldOut},
        {mode, QByteArray::number(units), QByteArray::number(goodsId), SaleKeys::eventChannel()},
        context, [done = std::move(done)](const RedisReply &reply) {
            done(PreloadOutcome::fromReply(reply));
        });
}

void SaleScripts::confirm(qint64 goodsId, qint64 userId, qint64 orderId, QObject *context,
                          std::function<void(const ConfirmOutcome &)> done) const
{
    const SaleKeys keys(goodsId);
    m_redis->evalScript(confirmScript(), {keys.results, keys.pending},
                        {QByteArray::number(userId), QByteArray::number(orderId)}, context,
                        [done = std::move(done)](const RedisReply &reply) {
                            done(ConfirmOutcome::fromReply(reply));
                        });
}

void SaleScripts::confirmMany(qint64 goodsId, const QList<Confirmation> &confirmations,
                              QObject *context,
                              std::function<void(const Result<QList<ConfirmOutcome>> &)> done) const
{
    using R = Result<QList<ConfirmOutcome>>;
    const SaleKeys keys(goodsId);
    QList<QByteArray> args;
    args.reserve(confirmations.size() * 2);
    for (const Confirmation &c : confirmations) {
        args.append(QByteArray::number(c.userId));
        args.append(QByteArray::number(c.orderId));
    }
    m_redis->evalScript(
        confirmManyScript(), {keys.results, keys.pending}, args, context,
        [count = confirmations.size(), done = std::move(done)](const RedisReply &reply) {
            const QList<RedisReply> &codes = reply.elements();
            if (reply.type() != RedisReply::Type::Array || codes.size() != count) {
                done(R::failure(
                    QStringLiteral("confirm of %1 orders: %2")
                        .arg(count)
                        .arg(reply.isError() ? reply.errorMessage() : reply.toString())));
                return;
            }
            QList<ConfirmOutcome> outcomes;
            outcomes.reserve(count);
            for (const RedisReply &code : codes)
                outcomes.append(ConfirmOutcome::fromReply(code));
            done(R(std::move(outcomes)));
        });
}

void SaleScripts::rollback(qint64 goodsId, qint64 userId, RollbackReason reason, QObject *context,
                           std::function<void(const RollbackOutcome &)> done) const
{
    const SaleKeys keys(goodsId);
    m_redis->evalScript(rollbackScript(), {keys.stock, keys.results, keys.pending, keys.soldOut},
                        {QByteArray::number(userId), rollbackReasonText(reason),
                         QByteArray::number(goodsId), SaleKeys::eventChannel()},
                        context, [done = std::move(done)](const RedisReply &reply) {
                            done(RollbackOutcome::fromReply(reply));
                        });
}

void SaleScripts::status(qint64 goodsId, qint64 userId, QObject *context,
                         std::function<void(const ShopperStatus &)> done) const
{
    m_redis->command({"HGET", SaleKeys(goodsId).results, QByteArray::number(userId)}, context,
                     [done = std::move(done)](const RedisReply &reply) {
                         done(ShopperStatus::fromReply(reply));
                     });
}

void SaleScripts::claimChallenge(qint64 goodsId, QByteArrayView challenge, qint64 ttlMs,
                                 QObject *context,
                                 std::function<void(const Result<bool> &)> done) const
{
    m_redis->command({"SET", SaleKeys(goodsId).usedChallenge(challenge), "1", "PX",
                      QByteArray::number(std::max<qint64>(1, ttlMs)), "NX"},
                     context, [done = std::move(done)](const RedisReply &reply) {
                         if (reply.isError())
                             done(Result<bool>::failure(reply.errorMessage()));
                         else
                             done(!reply.isNil()); // nil: the key was there, used before
                     });
}

void SaleScripts::pendingBefore(
    qint64 goodsId, qint64 cutoffMs, int limit, QObject *context,
    std::function<void(const Result<QList<PendingReservation>> &)> done) const
{
    using R = Result<QList<PendingReservation>>;
    const SaleKeys keys(goodsId);
    m_redis->evalScript(
        pendingScript(), {keys.pending, keys.results},
        {QByteArray::number(cutoffMs), QByteArray::number(std::max(1, limit))}, context,
        [goodsId, done = std::move(done)](const RedisReply &reply) {
            if (reply.type() != RedisReply::Type::Array || reply.elements().size() % 3 != 0) {
                done(R::failure(
                    reply.isError()
                        ? reply.errorMessage()
                        : QStringLiteral("unexpected reply to pending: %1").arg(reply.toString())));
                return;
            }
            QList<PendingReservation> reservations;
            const QList<RedisReply> &fields = reply.elements();
            for (qsizetype i = 0; i < fields.size(); i += 3) {
                PendingReservation reservation;
                reservation.goodsId = goodsId;
                bool userOk = false, timeOk = false;
                reservation.userId = fields[i].bytes().toLongLong(&userOk);
                reservation.reservedAtMs = qint64(fields[i + 1].bytes().toDouble(&timeOk));
                const ShopperStatus status = ShopperStatus::fromReply(fields[i + 2]);
                if (!userOk || !timeOk || status.state != ShopperStatus::State::Queued) {
                    // A pending entry must have a queued result: anything else is a
                    // broken invariant worth an error, not a silent skip.
                    done(R::failure(QStringLiteral("inconsistent pending reservation of "
                                                   "user %1 in goods %2: %3")
                                        .arg(QString::fromUtf8(fields[i].bytes()))
                                        .arg(goodsId)
                                        .arg(fields[i + 2].toString())));
                    return;
                }
                reservation.sequence = status.position;
                reservations.append(reservation);
            }
            done(R(std::move(reservations)));
        });
}

void SaleScripts::inventory(qint64 goodsId, QObject *context,
                            std::function<void(const SaleInventory &)> done) const
{
    const SaleKeys keys(goodsId);
    m_redis->evalScript(inventoryScript(),
                        {keys.stock, keys.total, keys.sequence, keys.pending, keys.soldOut}, {},
                        context, [done = std::move(done)](const RedisReply &reply) {
                            done(SaleInventory::fromReply(reply));
                        });
}

} // namespace flashsale::redis
