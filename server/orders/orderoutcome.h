#pragma once

#include <QString>

namespace flashsale::orders {

/// What became of one reservation handed to OrderRepository::createOrders.
struct OrderOutcome
{
    enum class Kind {
        Created, ///< a new order, stock decremented
        AlreadyCreated, ///< this reservation already has an order (a redelivery): same order id
        UserAlreadyOrdered, ///< the shopper has an order for this product from another reservation
        SoldOut, ///< the database has no stock left for it
        UnknownGoods, ///< no such product on sale
        GivenUp, ///< its message ended in the dead-letter queue without an order
    };

    QString reservation; ///< the reservation id
    qint64 goodsId = 0; ///< product
    qint64 userId = 0; ///< shopper
    Kind kind = Kind::Created; ///< what happened
    qint64 orderId = 0; ///< the order (Created, AlreadyCreated), else 0

    /// True when the reservation has its order (new or from before).
    bool hasOrder() const { return kind == Kind::Created || kind == Kind::AlreadyCreated; }
    /// "created", "already-created", "user-already-ordered", "sold-out", "unknown-goods",
    /// "given-up".
    static QString kindName(Kind kind);
};

} // namespace flashsale::orders
