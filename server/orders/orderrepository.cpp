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

const QString orderColumns =
    QStringLiteral("id, goods_id, user_id, reservation, status, price_cents, "
                   "(extract(epoch FROM created_at) * 1000)::bigint, (extract(epoch FROM paid_at) "
                   "* 1000)::bigint, "
                   "(extract(epoch FROM cancelled_at) * 1000)::bigint");

std::optional<qint64> optionalMs(const QVariant &value)
{
    if (value.isNull())
        return std::nullopt;
    return value.toLongLong();
}

// A row selected with orderColumns, from \a first on.
OrderRecord readOrder(const QSqlQuery &q, int first = 0)
{
    OrderRecord o;
    o.orderId = q.value(first).toLongLong();
    o.goodsId = q.value(first + 1).toLongLong();
    o.userId = q.value(first + 2).toLongLong();
    o.reservation = q.value(first + 3).toString();
    o.status = q.value(first + 4).toString();
    o.priceCents = q.value(first + 5).toLongLong();
    o.createdAtMs = q.value(first + 6).toLongLong();
    o.paidAtMs = optionalMs(q.value(first + 7));
    o.cancelledAtMs = optionalMs(q.value(first + 8));
    return o;
}

Status queryFailed(const QSqlQuery &query, const char *what)
{
    return Status::failure(
        QStringLiteral("%1: %2").arg(QString::fromLatin1(what), db::describeError(query)));
}

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

Result<OrderChange> OrderRepository::pay(qint64 orderId, qint64 userId)
{
    using R = Result<OrderChange>;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE miaosha_order SET status = 'paid', paid_at = now() "
                             "WHERE id = ? AND user_id = ? AND status = 'created' RETURNING ")
              + orderColumns);
    q.addBindValue(orderId);
    q.addBindValue(userId);
    if (!q.exec())
        return R::failure(queryFailed(q, "pay").error());
    if (q.next())
        return OrderChange {OrderChange::Kind::Done, readOrder(q)};
    const Result<std::optional<OrderRecord>> current = order(orderId, userId);
    if (!current)
        return R::failure(current.error());
    if (!current.value())
        return OrderChange {OrderChange::Kind::NotFound, std::nullopt};
    return OrderChange {(*current)->status == u"paid" ? OrderChange::Kind::Unchanged
                                                      : OrderChange::Kind::NotAllowed,
                        current.value()};
}

Result<std::optional<OrderRecord>> OrderRepository::order(qint64 orderId, qint64 userId)
{
    using R = Result<std::optional<OrderRecord>>;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT ") + orderColumns
              + QStringLiteral(" FROM miaosha_order WHERE id = ? AND user_id = ?"));
    q.addBindValue(orderId);
    q.addBindValue(userId);
    if (!q.exec())
        return R::failure(queryFailed(q, "read order").error());
    if (!q.next())
        return R(std::nullopt);
    return R(readOrder(q));
}

Result<QList<OrderRecord>>
OrderRepository::ordersOf(const QList<std::pair<qint64, qint64>> &userGoods)
{
    using R = Result<QList<OrderRecord>>;
    QList<OrderRecord> found;
    if (userGoods.isEmpty())
        return found;
    QList<qint64> users, goods;
    for (const auto &[user, good] : userGoods) {
        users.append(user);
        goods.append(good);
    }
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT ") + orderColumns
              + QStringLiteral(" FROM miaosha_order WHERE (user_id, goods_id) IN "
                               "(SELECT * FROM unnest(?::bigint[], ?::bigint[]))"));
    q.addBindValue(SqlArray::bigints(users));
    q.addBindValue(SqlArray::bigints(goods));
    if (!q.exec())
        return R::failure(queryFailed(q, "read orders").error());
    while (q.next())
        found.append(readOrder(q));
    return found;
}

Status OrderRepository::beginTransaction()
{
    if (m_db.transaction()) {
        m_inTransaction = true;
        return Status::success();
    }
    return Status::failure(
        QStringLiteral("cannot begin a transaction: %1").arg(m_db.lastError().text().simplified()));
}

Status OrderRepository::commitTransaction()
{
    m_inTransaction = false;
    if (m_db.commit())
        return Status::success();
    const QString error = m_db.lastError().text().simplified();
    m_db.rollback();
    return Status::failure(QStringLiteral("commit failed: %1").arg(error));
}

void OrderRepository::rollbackTransaction()
{
    if (std::exchange(m_inTransaction, false))
        m_db.rollback();
}

Result<QList<OrderRecord>> OrderRepository::cancelUnpaid(const QList<qint64> &orderIds,
                                                         std::optional<qint64> userId)
{
    using R = Result<QList<OrderRecord>>;
    QList<OrderRecord> cancelled;
    if (orderIds.isEmpty())
        return cancelled;
    QSqlQuery q(m_db);
    // The row lock taken here serialises a concurrent pay or cancel of the same order (in
    // any process): the later one waits, then finds it no longer 'created'.
    q.prepare(QStringLiteral("UPDATE miaosha_order SET status = 'cancelled', cancelled_at = now() "
                             "WHERE id = ANY(?::bigint[]) AND status = 'created'%1 RETURNING ")
                  .arg(userId ? QStringLiteral(" AND user_id = ?") : QString())
              + orderColumns);
    q.addBindValue(SqlArray::bigints(orderIds));
    if (userId)
        q.addBindValue(*userId);
    if (!q.exec()) {
        m_lastSqlState = q.lastError().nativeErrorCode();
        return R::failure(queryFailed(q, "cancel orders").error());
    }
    std::map<qint64, qint64> unitsByGoods; // in goods order: one lock order for all writers
    while (q.next()) {
        cancelled.append(readOrder(q));
        ++unitsByGoods[cancelled.last().goodsId];
    }
    for (const auto &[goodsId, units] : unitsByGoods) {
        if (Status s = returnStock(goodsId, units); !s)
            return R::failure(s.error());
    }
    return cancelled;
}

Result<QList<qint64>> OrderRepository::lockExpiredUnpaid(std::chrono::seconds olderThan, int limit)
{
    using R = Result<QList<qint64>>;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT id FROM miaosha_order WHERE status = 'created' "
                             "AND created_at < now() - make_interval(secs => ?) "
                             "ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED"));
    q.addBindValue(qint64(olderThan.count()));
    q.addBindValue(std::max(1, limit));
    if (!q.exec())
        return R::failure(queryFailed(q, "find unpaid orders").error());
    QList<qint64> ids;
    while (q.next())
        ids.append(q.value(0).toLongLong());
    return ids;
}

Result<QList<OrderRecord>> OrderRepository::cancelUnpaidNow(const QList<qint64> &orderIds)
{
    using R = Result<QList<OrderRecord>>;
    constexpr int maxTries = 5;
    for (int attempt = 1;; ++attempt) {
        if (Status s = beginTransaction(); !s)
            return R::failure(s.error());
        R result = cancelUnpaid(orderIds);
        if (result) {
            if (Status s = commitTransaction(); !s)
                return R::failure(s.error());
            return result;
        }
        rollbackTransaction();
        if (!isTransient(m_lastSqlState) || attempt >= maxTries)
            return result;
    }
}

Result<QList<SaleStock>> OrderRepository::activeSales(std::chrono::seconds endedFor)
{
    using R = Result<QList<SaleStock>>;
    QSqlQuery q(m_db);
    q.prepare(
        QStringLiteral("SELECT g.goods_id, g.preloaded_stock, g.stock, "
                       "(SELECT count(*) FROM miaosha_order o WHERE o.goods_id = g.goods_id "
                       "AND o.status <> 'cancelled') "
                       "FROM miaosha_goods g WHERE g.start_at <= now() "
                       "AND g.end_at > now() - make_interval(secs => ?) ORDER BY g.goods_id"));
    q.addBindValue(qint64(endedFor.count()));
    if (!q.exec())
        return R::failure(queryFailed(q, "read active sales").error());
    QList<SaleStock> sales;
    while (q.next())
        sales.append({q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toLongLong(),
                      q.value(3).toLongLong()});
    return sales;
}

Status OrderRepository::returnStock(qint64 goodsId, qint64 units)
{
    auto fail = [this](const QSqlQuery &query, const char *what) {
        m_lastSqlState = query.lastError().nativeErrorCode();
        return queryFailed(query, what);
    };
    QSqlQuery read(m_db);
    read.prepare(QStringLiteral("SELECT version FROM miaosha_goods WHERE goods_id = ?"));
    QSqlQuery update(m_db);
    update.prepare(
        QStringLiteral("UPDATE miaosha_goods SET stock = stock + ?, version = version + 1 "
                       "WHERE goods_id = ? AND version = ?"));
    constexpr int maxConflicts = 1000;
    for (int conflicts = 0; conflicts < maxConflicts; ++conflicts) {
        read.addBindValue(goodsId);
        if (!read.exec())
            return fail(read, "read stock version");
        if (!read.next())
            return Status::failure(QStringLiteral("product %1 vanished").arg(goodsId));
        const qint64 version = read.value(0).toLongLong();
        read.finish();
        update.addBindValue(units);
        update.addBindValue(goodsId);
        update.addBindValue(version);
        if (!update.exec())
            return fail(update, "return stock");
        if (update.numRowsAffected() == 1)
            return Status::success();
        ++s_versionConflicts;
    }
    return Status::failure(QStringLiteral("product %1: gave up returning stock after %2 version "
                                          "conflicts")
                               .arg(goodsId)
                               .arg(maxConflicts));
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
