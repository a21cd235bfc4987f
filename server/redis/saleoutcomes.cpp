#include "saleoutcomes.h"

namespace flashsale::redis {

namespace {

QString badReply(const char *what, const RedisReply &reply)
{
    if (reply.isError())
        return reply.errorMessage();
    return QStringLiteral("unexpected reply to %1: %2").arg(QLatin1String(what), reply.toString());
}

/// The integers of an array reply of at least \a count integers; empty if it is not one.
QList<qint64> integers(const RedisReply &reply, qsizetype count)
{
    QList<qint64> values;
    if (reply.type() != RedisReply::Type::Array || reply.elements().size() < count)
        return values;
    for (const RedisReply &element : reply.elements()) {
        if (element.type() != RedisReply::Type::Integer)
            return {};
        values.append(element.toInteger());
    }
    return values;
}

} // namespace

QByteArray ReserveOutcome::reservationId() const
{
    return QByteArray::number(goodsId).append('-').append(QByteArray::number(sequence));
}

ReserveOutcome ReserveOutcome::fromReply(qint64 goodsId, qint64 userId, const RedisReply &reply)
{
    ReserveOutcome outcome;
    outcome.goodsId = goodsId;
    outcome.userId = userId;
    const QList<qint64> values = integers(reply, 3);
    if (values.isEmpty() || values[0] < 1 || values[0] > 6) {
        outcome.error = badReply("reserve", reply);
        return outcome;
    }
    outcome.kind = Kind(values[0]);
    outcome.sequence = values[1];
    outcome.reservedAtMs = values[2];
    return outcome;
}

QList<ReserveOutcome> ReserveOutcome::fromReplies(qint64 goodsId, const QList<qint64> &userIds,
                                                  const RedisReply &reply)
{
    QList<ReserveOutcome> outcomes(userIds.size());
    const QList<qint64> values = integers(reply, 3 * userIds.size());
    for (qsizetype i = 0; i < userIds.size(); ++i) {
        ReserveOutcome &outcome = outcomes[i];
        outcome.goodsId = goodsId;
        outcome.userId = userIds[i];
        const qint64 code = values.value(3 * i);
        if (values.size() != 3 * userIds.size() || code < 1 || code > 6) {
            outcome.error = badReply("reserve", reply);
            continue;
        }
        outcome.kind = Kind(code);
        outcome.sequence = values[3 * i + 1];
        outcome.reservedAtMs = values[3 * i + 2];
    }
    return outcomes;
}

PreloadOutcome PreloadOutcome::fromReply(const RedisReply &reply)
{
    PreloadOutcome outcome;
    const QList<qint64> values = integers(reply, 2);
    if (values.isEmpty() || values[0] < 1 || values[0] > 4) {
        outcome.error = badReply("preload", reply);
        return outcome;
    }
    outcome.kind = Kind(values[0]);
    outcome.stock = values[1];
    return outcome;
}

ConfirmOutcome ConfirmOutcome::fromReply(const RedisReply &reply)
{
    ConfirmOutcome outcome;
    const qint64 code = reply.type() == RedisReply::Type::Integer ? reply.toInteger() : 0;
    if (code < 1 || code > 5) {
        outcome.error = badReply("confirm", reply);
        return outcome;
    }
    outcome.kind = Kind(code);
    return outcome;
}

RollbackOutcome RollbackOutcome::fromReply(const RedisReply &reply)
{
    RollbackOutcome outcome;
    const QList<qint64> values = integers(reply, 2);
    if (values.isEmpty() || values[0] < 1 || values[0] > 3) {
        outcome.error = badReply("rollback", reply);
        return outcome;
    }
    outcome.kind = Kind(values[0]);
    outcome.stock = values[1];
    return outcome;
}

ShopperStatus ShopperStatus::fromReply(const RedisReply &reply)
{
    ShopperStatus status;
    if (reply.isNil()) {
        status.state = State::None;
        return status;
    }
    if (reply.type() != RedisReply::Type::String) {
        status.error = badReply("status", reply);
        return status;
    }
    const QByteArray &value = reply.bytes();
    const QList<QByteArray> parts = value.split(':');
    bool ok = false;
    if (value.startsWith("q:") && parts.size() == 3) {
        status.position = parts[1].toLongLong(&ok);
        bool timeOk = false;
        status.reservedAtMs = parts[2].toLongLong(&timeOk);
        if (ok && timeOk) {
            status.state = State::Queued;
            return status;
        }
    } else if (value.startsWith("c:") && parts.size() == 2) {
        status.orderId = parts[1].toLongLong(&ok);
        if (ok) {
            status.state = State::Created;
            return status;
        }
    } else if (value.startsWith("f:") && parts.size() == 2) {
        status.state = State::Failed;
        status.reason = parts[1];
        return status;
    }
    status.error = QStringLiteral("unreadable shopper result '%1'").arg(QString::fromUtf8(value));
    return status;
}

QByteArray PendingReservation::reservationId() const
{
    return QByteArray::number(goodsId).append('-').append(QByteArray::number(sequence));
}

SaleInventory SaleInventory::fromReply(const RedisReply &reply)
{
    SaleInventory inventory;
    const QList<qint64> values = integers(reply, 6);
    if (values.isEmpty()) {
        inventory.error = badReply("inventory", reply);
        return inventory;
    }
    inventory.ok = true;
    inventory.exists = values[0] != 0;
    inventory.stock = values[1];
    inventory.total = values[2];
    inventory.lastSequence = values[3];
    inventory.pending = values[4];
    inventory.soldOut = values[5] != 0;
    return inventory;
}

} // namespace flashsale::redis
