#include "orderrepository.h"

#include "database.h"
#include "sqlarray.h"

#include <QHash>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <map>

Q_LOGGING_CATEGORY(lcOrders, "flashsale.orders")

namespace flashsale::orders {

using amqp::Reservation;

namespace {

// Deadlocks and serialization failures are worth another go of the whole transaction.
bool isTransient(const QString &sqlState)
{
    return sqlState == u"40P01" || sqlState == u"40001";
}

struct QueryFailure
{
    QString message;
    QString sqlState;
};

} // namespace

OrderRepository::OrderRepository(QSqlDatabase db)
    : m_db(std::move(db))
{ }

bool OrderRepository::isConnected() const
{
    if (!m_db.isOpen())
        return false;
    QSqlQuery ping(m_db);
    return ping.exec(QStringLiteral("SELECT 1"));
}

Result<QList<OrderOutcome>> OrderRepository::createOrders(const QList<Reservation> &batch)
{
    using R = Result<QList<OrderOutcome>>;
    if (batch.isEmpty())
        return QList<OrderOutcome>();
    constexpr int maxTries = 5;
    for (int attempt = 1;; ++attempt) {
        if (!m_db.transaction())
            return R::failure(QStringLiteral("cannot begin a transaction: %1")
                                  .arg(m_db.lastError().text().simplified()));
        R result = createOrdersInTransaction(batch);
        if (result && m_db.commit())
            return result;
        const QSqlError error = result ? m_db.lastError() : QSqlError();
        m_db.rollback();
        const QString sqlState = result ? error.nativeErrorCode() : m_lastSqlState;
        const QString message = result
            ? QStringLiteral("commit failed: %1").arg(error.text().simplified())
            : result.error();
        if (isTransient(sqlState) && attempt < maxTries) {
            qCInfo(lcOrders).noquote() << "order batch hit" << message << "- trying again";
            continue;
        }
        return R::failure(message);
    }
}

Result<QList<OrderOutcome>>
OrderRepository::createOrdersInTransaction(const QList<Reservation> &batch)
{
    using R = Result<QList<OrderOutcome>>;
    m_lastSqlState.clear();
    auto fail = [this](const QSqlQuery &query, const char *what) {
        m_lastSqlState = query.lastError().nativeErrorCode();
        return R::failure(
            QStringLiteral("%1: %2").arg(QString::fromLatin1(what), db::describeError(query)));
    };

    // One outcome per distinct reservation, in input order.
    QList<OrderOutcome> outcomes;
    QHash<QString, qsizetype> byReservation;
    QHash<QString, qint64> reservedAt;
    QList<qint64> users, goods, times;
    QStringList ids;
    for (const Reservation &r : batch) {
        if (byReservation.contains(r.id))
            continue;
        byReservation.insert(r.id, outcomes.size());
        reservedAt.insert(r.id, r.reservedAtMs);
        outcomes.append({r.id, r.goodsId, r.userId, OrderOutcome::Kind::SoldOut, 0});
        users.append(r.userId);
        goods.append(r.goodsId);
        times.append(r.reservedAtMs);
        ids.append(r.id);
    }

    // Rows in (goods, user) order, so that concurrent batches take index locks in one order;
    // of two reservations of one shopper, the earlier one wins.
    QSqlQuery insert(m_db);
    insert.prepare(
        QStringLiteral("INSERT INTO miaosha_order (user_id, goods_id, reservation, price_cents) "
                       "SELECT u.user_id, u.goods_id, u.reservation, g.flash_price_cents "
                       "FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::bigint[]) "
                       "AS u(user_id, goods_id, reservation, reserved_at) "
                       "JOIN miaosha_goods g ON g.goods_id = u.goods_id "
                       "ORDER BY u.goods_id, u.user_id, u.reserved_at "
                       "ON CONFLICT DO NOTHING RETURNING id, reservation"));
    insert.addBindValue(SqlArray::bigints(users));
    insert.addBindValue(SqlArray::bigints(goods));
    insert.addBindValue(SqlArray::texts(ids));
    insert.addBindValue(SqlArray::bigints(times));
    if (!insert.exec())
        return fail(insert, "insert orders");
    std::map<qint64, QList<std::pair<qint64, qint64>>> newByGoods; // goods -> (reservedAt, order)
    QHash<qint64, qsizetype> outcomeByOrder;
    QSet<QString> inserted;
    while (insert.next()) {
        const qint64 orderId = insert.value(0).toLongLong();
        const QString reservation = insert.value(1).toString();
        const qsizetype i = byReservation.value(reservation);
        outcomes[i].kind = OrderOutcome::Kind::Created;
        outcomes[i].orderId = orderId;
        outcomeByOrder.insert(orderId, i);
        inserted.insert(reservation);
        newByGoods[outcomes[i].goodsId].append({reservedAt.value(reservation), orderId});
    }

    // Stock, product by product in id order (one lock order for all workers).
    for (auto &[goodsId, orders] : newByGoods) {
        std::sort(orders.begin(), orders.end()); // the earliest reservations keep their unit
        QList<qint64> orderIds;
        for (const auto &o : orders)
            orderIds.append(o.second);
        QList<qint64> soldOut;
        if (Status s = takeStock(goodsId, orderIds, soldOut); !s)
            return R::failure(s.error());
        for (qint64 orderId : soldOut) {
            OrderOutcome &o = outcomes[outcomeByOrder.value(orderId)];
            o.kind = OrderOutcome::Kind::SoldOut;
            o.orderId = 0;
        }
    }

    // The rest had a conflict: an order of this reservation (a redelivery), or another of
    // this shopper for this product, or no such product.
    QStringList missing;
    for (const OrderOutcome &o : std::as_const(outcomes)) {
        if (!inserted.contains(o.reservation))
            missing.append(o.reservation);
    }
    if (missing.isEmpty())
        return outcomes;
    QSqlQuery existing(m_db);
    existing.prepare(QStringLiteral(
        "SELECT id, reservation FROM miaosha_order WHERE reservation = ANY(?::text[])"));
    existing.addBindValue(SqlArray::texts(missing));
    if (!existing.exec())
        return fail(existing, "look up existing orders");
    QSet<QString> found;
    while (existing.next()) {
        OrderOutcome &o = outcomes[byReservation.value(existing.value(1).toString())];
        o.kind = OrderOutcome::Kind::AlreadyCreated;
        o.orderId = existing.value(0).toLongLong();
        found.insert(o.reservation);
    }
    QList<qint64> unresolvedGoods;
    for (const QString &id : std::as_const(missing)) {
        if (!found.contains(id))
            unresolvedGoods.append(outcomes.at(byReservation.value(id)).goodsId);
    }
    if (unresolvedGoods.isEmpty())
        return outcomes;
    QSqlQuery known(m_db);
    known.prepare(
        QStringLiteral("SELECT goods_id FROM miaosha_goods WHERE goods_id = ANY(?::bigint[])"));
    known.addBindValue(SqlArray::bigints(unresolvedGoods));
    if (!known.exec())
        return fail(known, "look up products");
    QSet<qint64> knownGoods;
    while (known.next())
        knownGoods.insert(known.value(0).toLongLong());
    for (const QString &id : std::as_const(missing)) {
        if (found.contains(id))
            continue;
        OrderOutcome &o = outcomes[byReservation.value(id)];
        o.kind = knownGoods.contains(o.goodsId) ? OrderOutcome::Kind::UserAlreadyOrdered
                                                : OrderOutcome::Kind::UnknownGoods;
    }
    return outcomes;
}

Status OrderRepository::takeStock(qint64 goodsId, QList<qint64> &orderIds, QList<qint64> &soldOut)
{
    auto fail = [this](const QSqlQuery &query, const char *what) {
        m_lastSqlState = query.lastError().nativeErrorCode();
        return Status::failure(
            QStringLiteral("%1: %2").arg(QString::fromLatin1(what), db::describeError(query)));
    };
    QSqlQuery read(m_db);
    read.prepare(QStringLiteral("SELECT stock, version FROM miaosha_goods WHERE goods_id = ?"));
    QSqlQuery update(m_db);
    update.prepare(
        QStringLiteral("UPDATE miaosha_goods SET stock = stock - ?, version = version + 1 "
                       "WHERE goods_id = ? AND version = ? AND stock >= ?"));
    constexpr int maxConflicts = 1000;
    for (int conflicts = 0; conflicts < maxConflicts; ++conflicts) {
        read.addBindValue(goodsId);
        if (!read.exec())
            return fail(read, "read stock");
        if (!read.next())
            return Status::failure(QStringLiteral("product %1 vanished").arg(goodsId));
        const qint64 stock = read.value(0).toLongLong();
        const qint64 version = read.value(1).toLongLong();
        read.finish();
        if (stock < orderIds.size()) {
            // More orders than units left: the latest reservations lose theirs.
            QList<qint64> excess = orderIds.mid(stock);
            orderIds.resize(stock);
            QSqlQuery remove(m_db);
            remove.prepare(QStringLiteral("DELETE FROM miaosha_order WHERE id = ANY(?::bigint[])"));
            remove.addBindValue(SqlArray::bigints(excess));
            if (!remove.exec())
                return fail(remove, "take back orders beyond the stock");
            qCWarning(lcOrders) << "product" << goodsId << ":" << excess.size()
                                << "reservations found no stock left in the database";
            soldOut.append(excess);
        }
        if (orderIds.isEmpty())
            return Status::success();
        const qint64 n = orderIds.size();
        update.addBindValue(n);
        update.addBindValue(goodsId);
        update.addBindValue(version);
        update.addBindValue(n);
        if (!update.exec())
            return fail(update, "take stock");
        if (update.numRowsAffected() == 1)
            return Status::success();
        ++s_versionConflicts; // someone else took stock since we read it: read again
    }
    return Status::failure(QStringLiteral("product %1: gave up after %2 version conflicts")
                               .arg(goodsId)
                               .arg(maxConflicts));
}

} // namespace flashsale::orders
