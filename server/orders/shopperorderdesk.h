#pragma once

#include "orderchange.h"
#include "result.h"

#include <QString>

#include <functional>

class QObject;

namespace flashsale::db {
class SqlExecutor;
}
namespace flashsale::redis {
class SaleScripts;
}

namespace flashsale::orders {

class OrderPayments;

/// A shopper's own orders as a service: where their buy of a product stands (Redis knows
/// queued and failed, the database is the word on orders), paying and cancelling (through
/// OrderPayments). Knows nothing of HTTP.
class ShopperOrderDesk
{
public:
    /// Where a shopper's buy stands.
    struct Standing
    {
        enum class Kind { None, Queued, Created, Failed, Error };
        Kind kind = Kind::Error; ///< see Kind
        qint64 position = 0; ///< Queued: the queue position
        qint64 orderId = 0; ///< Created: the order
        QString error; ///< Error: why it could not be told
    };

    /// \a payments may be null (no Redis: pay and cancel fail); \a onCancelled is called
    /// (on any thread) after a cancel returned a unit, so the caller can reload its stock.
    ShopperOrderDesk(db::SqlExecutor *sql, OrderPayments *payments,
                     std::function<void()> onCancelled = {});

    /// The standing of \a userId's buy of \a goodsId: Redis through \a scripts (on the
    /// calling thread's client; null: the database only), then the database. \a done runs
    /// once, on \a context's thread or a database thread.
    void standing(qint64 goodsId, qint64 userId, const redis::SaleScripts *scripts,
                  QObject *context, std::function<void(const Standing &)> done) const;

    /// Pays \a userId's order \a orderId; \a done runs once on \a context's thread. Fails at
    /// once without payments.
    void pay(qint64 orderId, qint64 userId, QObject *context,
             std::function<void(const Result<OrderChange> &)> done) const;
    /// Cancels it and returns its unit everywhere.
    void cancel(qint64 orderId, qint64 userId, QObject *context,
                std::function<void(const Result<OrderChange> &)> done) const;

    bool canChangeOrders() const { return m_payments != nullptr; }

private:
    void fromDatabase(qint64 goodsId, qint64 userId,
                      std::function<void(const Standing &)> done) const;

    db::SqlExecutor *m_sql = nullptr;
    OrderPayments *m_payments = nullptr;
    std::function<void()> m_onCancelled;
};

} // namespace flashsale::orders
