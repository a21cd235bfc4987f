#pragma once

#include "orderchange.h"
#include "orderoutcome.h"
#include "orderrecord.h"
#include "reservation.h"
#include "result.h"
#include "salestock.h"

#include <QList>
#include <QLoggingCategory>
#include <QSqlDatabase>

#include <atomic>
#include <chrono>
#include <optional>

Q_DECLARE_LOGGING_CATEGORY(lcOrders)

namespace flashsale::orders {

/// Turns reservations into orders in PostgreSQL, idempotently: a reservation gives at most
/// one order, ever, however often it is handed in. Use one repository per connection (and
/// so per thread).
class OrderRepository
{
public:
    /// \a db must be open; the repository runs its own transactions on it.
    explicit OrderRepository(QSqlDatabase db);

    /// In ONE transaction: inserts an order per reservation (`INSERT ... ON CONFLICT DO
    /// NOTHING` on the unique reservation and (user, goods)), then takes the new orders'
    /// units from `miaosha_goods` with the optimistic lock (`stock = stock - n, version =
    /// version + 1 WHERE goods_id = ? AND version = ? AND stock >= n`), re-reading and
    /// retrying when another writer got there first. Orders beyond the stock left are taken
    /// back (SoldOut). Returns one outcome per distinct reservation, in input order; fails
    /// (and changes nothing) on a database error.
    Result<QList<OrderOutcome>> createOrders(const QList<amqp::Reservation> &batch);

    /// Whether the connection still works (after a failure, reopen it).
    bool isConnected() const;

    /// Marks order \a orderId paid if it is \a userId's and unpaid (one statement; a
    /// concurrent cancel of the same order waits for it or wins, never both).
    Result<OrderChange> pay(qint64 orderId, qint64 userId);

    /// Order \a orderId if it belongs to \a userId.
    Result<std::optional<OrderRecord>> order(qint64 orderId, qint64 userId);
    /// The orders of these (userId, goodsId) pairs (at most one each).
    Result<QList<OrderRecord>> ordersOf(const QList<std::pair<qint64, qint64>> &userGoods);

    /// Starts a transaction for the calls below (cancelling holds it open while Redis gives
    /// the units back, so that both happen or neither: see OrderPayments).
    Status beginTransaction();
    Status commitTransaction();
    /// Undoes the transaction begun with beginTransaction(), if one is open.
    void rollbackTransaction();

    /// In the caller's transaction: cancels those of \a orderIds that are still unpaid
    /// (only \a userId's, when given) and returns their units to `miaosha_goods` with the
    /// optimistic lock. Returns the orders this call cancelled: the row locks make a
    /// repeated or concurrent call (any process) find them cancelled and return none.
    Result<QList<OrderRecord>> cancelUnpaid(const QList<qint64> &orderIds,
                                            std::optional<qint64> userId = std::nullopt);
    /// In the caller's transaction: up to \a limit unpaid orders created more than
    /// \a olderThan ago, oldest first, locked (rows another sweeper holds are skipped).
    Result<QList<qint64>> lockExpiredUnpaid(std::chrono::seconds olderThan, int limit);
    /// cancelUnpaid() in a transaction of its own, for orders whose unit Redis already
    /// returned (their reservation was rolled back before the order was confirmed).
    Result<QList<OrderRecord>> cancelUnpaidNow(const QList<qint64> &orderIds);

    /// The sales started and not ended more than \a endedFor ago, with the database's
    /// stock and order counts, for the reconciler.
    Result<QList<SaleStock>> activeSales(std::chrono::seconds endedFor);

    /// How often the optimistic lock found the row changed and had to re-read (all
    /// repositories of the process), for tests and metrics.
    static qint64 versionConflicts() { return s_versionConflicts; }

private:
    Result<QList<OrderOutcome>> createOrdersInTransaction(const QList<amqp::Reservation> &batch);
    Status takeStock(qint64 goodsId, QList<qint64> &orderIds, QList<qint64> &soldOutIds);
    Status returnStock(qint64 goodsId, qint64 units);

    QSqlDatabase m_db;
    QString m_lastSqlState; ///< SQLSTATE of the last failed statement, to spot deadlocks
    bool m_inTransaction = false; ///< beginTransaction() was called, no commit or rollback yet
    static inline std::atomic<qint64> s_versionConflicts {0};
};

} // namespace flashsale::orders
