#pragma once

#include "redisreply.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace flashsale::redis {

/// What one reserve call came to. The codes are those the reserve script returns.
struct ReserveOutcome
{
    enum class Kind {
        Error = 0, ///< no answer: Redis down, timed out, bad reply (see error)
        Reserved = 1, ///< one unit is the shopper's; queue position in sequence
        SoldOut = 2, ///< no stock left
        Duplicate = 3, ///< this shopper already has a result for this product
        TooFrequent = 4, ///< again within the shopper's request window
        NoSuchSale = 5, ///< no stock was ever loaded for this product
        AddressTooFrequent = 6, ///< another attempt from this address within the sale's window
    };

    Kind kind = Kind::Error; ///< see Kind
    qint64 goodsId = 0; ///< the product
    qint64 userId = 0; ///< the shopper
    qint64 sequence = 0; ///< Reserved: 1..stock, the shopper's queue position
    qint64 reservedAtMs = 0; ///< Reserved: server time, ms since the epoch
    QString error; ///< Error: why

    /// "<goodsId>-<sequence>": the reservation's id (Reserved only).
    QByteArray reservationId() const;
    /// Reads the reserve script's reply.
    static ReserveOutcome fromReply(qint64 goodsId, qint64 userId, const RedisReply &reply);
    /// Reads the reply of one call for several shoppers: one outcome per user, in order
    /// (all Error when the call failed).
    static QList<ReserveOutcome> fromReplies(qint64 goodsId, const QList<qint64> &userIds,
                                             const RedisReply &reply);
};

/// What a preload or top-up came to.
struct PreloadOutcome
{
    enum class Kind {
        Error = 0, ///< see error
        Loaded = 1, ///< first load: stock set
        AlreadyLive = 2, ///< load refused: the sale has stock already (stock = current)
        ToppedUp = 3, ///< top-up added (stock = new level); sold-out mark cleared
        NoSuchSale = 4, ///< top-up before any load
    };
    Kind kind = Kind::Error; ///< see Kind
    qint64 stock = 0; ///< the stock after the call
    QString error; ///< Error: why

    static PreloadOutcome fromReply(const RedisReply &reply);
};

/// What confirming an order (recording its id as the shopper's result) came to.
struct ConfirmOutcome
{
    enum class Kind {
        Error = 0, ///< see error
        Confirmed = 1, ///< result is now the order, pending reservation cleared
        AlreadyConfirmed = 2, ///< the same order was confirmed before (idempotent)
        RolledBack = 3, ///< the reservation was rolled back first: compensate the order
        NoReservation = 4, ///< no reservation known (Redis lost it); result recorded anyway
        OtherOrder = 5, ///< the shopper's result is another order already
    };
    Kind kind = Kind::Error; ///< see Kind
    QString error; ///< Error: why

    static ConfirmOutcome fromReply(const RedisReply &reply);
};

/// Why a reservation is rolled back: becomes the shopper's result (`f:failed`, `f:cancelled`).
enum class RollbackReason { Failed, Cancelled };

/// What a rollback came to.
struct RollbackOutcome
{
    enum class Kind {
        Error = 0, ///< see error
        Returned = 1, ///< the unit went back to stock, result set to failed/cancelled
        AlreadyRolledBack = 2, ///< done before: nothing returned again
        NoReservation = 3, ///< the shopper has no result for this product
    };
    Kind kind = Kind::Error; ///< see Kind
    qint64 stock = 0; ///< stock after the call
    QString error; ///< Error: why

    static RollbackOutcome fromReply(const RedisReply &reply);
};

/// A shopper's standing for one product, as GET .../orders/me shows it.
struct ShopperStatus
{
    enum class State {
        Error, ///< could not be read (see error)
        None, ///< no attempt recorded
        Queued, ///< reserved, the order is on its way (position)
        Created, ///< the order exists (orderId)
        Failed, ///< failed or cancelled (reason)
    };
    State state = State::Error; ///< see State
    qint64 position = 0; ///< Queued: the sequence number
    qint64 reservedAtMs = 0; ///< Queued: when
    qint64 orderId = 0; ///< Created: the order
    QByteArray reason; ///< Failed: "failed" or "cancelled"
    QString error; ///< Error: why

    /// Reads one value of the results hash (`q:..`, `c:..`, `f:..`; nil: None).
    static ShopperStatus fromReply(const RedisReply &reply);
};

/// One reservation still waiting for its order.
struct PendingReservation
{
    qint64 goodsId = 0; ///< the product
    qint64 userId = 0; ///< the shopper
    qint64 sequence = 0; ///< its sequence number (reservation id "<goodsId>-<sequence>")
    qint64 reservedAtMs = 0; ///< when, server time in ms

    QByteArray reservationId() const;
};

/// One consistent snapshot of a sale's counters.
struct SaleInventory
{
    bool ok = false; ///< false: see error
    bool exists = false; ///< stock was loaded
    qint64 stock = 0; ///< units left
    qint64 total = 0; ///< units ever loaded
    qint64 lastSequence = 0; ///< reservations ever made
    qint64 pending = 0; ///< reservations without an order yet
    bool soldOut = false; ///< the sold-out mark is set
    QString error; ///< why not ok

    static SaleInventory fromReply(const RedisReply &reply);
};

} // namespace flashsale::redis
