#pragma once

#include "orderoutcome.h"
#include "reservation.h"
#include "result.h"

#include <QList>
#include <QLoggingCategory>
#include <QSqlDatabase>

#include <atomic>

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

    /// How often the optimistic lock found the row changed and had to re-read (all
    /// repositories of the process), for tests and metrics.
    static qint64 versionConflicts() { return s_versionConflicts; }

private:
    Result<QList<OrderOutcome>> createOrdersInTransaction(const QList<amqp::Reservation> &batch);
    Status takeStock(qint64 goodsId, QList<qint64> &orderIds, QList<qint64> &soldOutIds);

    QSqlDatabase m_db;
    QString m_lastSqlState; ///< SQLSTATE of the last failed statement, to spot deadlocks
    static inline std::atomic<qint64> s_versionConflicts {0};
};

} // namespace flashsale::orders
