#pragma once

#include "redis.h"
#include "saleoutcomes.h"

#include <QPointer>

#include <functional>

namespace flashsale::redis {

/// The sale's Redis scripts (lua/, compiled in) behind typed calls: callers never build
/// keys or read raw replies. Each call runs one script on the product's slot; the callback
/// runs exactly once unless \a context is destroyed first. Cheap to copy; holds a pointer
/// to \a redis, which must outlive it.
/// A sale's per-address buy window: one reserve attempt per client address per \a windowMs
/// (0: none), beside the per-shopper window.
struct AddressWindow
{
    QByteArray address; ///< the client's address, as the brake sees it
    int windowMs = 0; ///< 0: no window
};

/// One shopper of a batch of reserves.
struct ReserveAsk
{
    qint64 userId = 0;
    AddressWindow address; ///< the sale's per-address window for this shopper
};

class SaleScripts
{
public:
    /// One order to record as its shopper's result (confirmMany()).
    struct Confirmation
    {
        qint64 userId = 0; ///< the shopper
        qint64 orderId = 0; ///< the order committed for the shopper's reservation
    };

    /// Scripts on \a redis; \a windowMs is the per-shopper request window of reserve.
    explicit SaleScripts(Redis *redis, int windowMs = 10'000);

    /// One shopper's attempt at one unit (the buy path's step 6).
    void reserve(qint64 goodsId, qint64 userId, QObject *context,
                 std::function<void(const ReserveOutcome &)> done) const;
    /// The same within the sale's per-address window \a address.
    void reserve(qint64 goodsId, qint64 userId, const AddressWindow &address, QObject *context,
                 std::function<void(const ReserveOutcome &)> done) const;
    /// Several shoppers' attempts at \a goodsId in one script call, in the order given (as
    /// if reserved one after the other); \a done gets one outcome per ask, in that order.
    void reserveMany(qint64 goodsId, const QList<ReserveAsk> &asks, QObject *context,
                     std::function<void(const QList<ReserveOutcome> &)> done) const;
    /// Loads a sale's stock, replacing a stock none of which is handed out yet; a stock with
    /// units reserved or sold is kept (AlreadyLive).
    void preload(qint64 goodsId, qint64 stock, QObject *context,
                 std::function<void(const PreloadOutcome &)> done) const;
    /// Adds \a units (> 0) to a live sale and reopens it if it was sold out.
    void topUp(qint64 goodsId, qint64 units, QObject *context,
               std::function<void(const PreloadOutcome &)> done) const;
    /// After the order is committed: records \a orderId as the shopper's result and clears
    /// the pending reservation, atomically.
    void confirm(qint64 goodsId, qint64 userId, qint64 orderId, QObject *context,
                 std::function<void(const ConfirmOutcome &)> done) const;
    /// confirm() for many shoppers of \a goodsId in one script call (confirm_many): \a done
    /// gets one outcome per confirmation, in their order, or the error of the whole call.
    void confirmMany(qint64 goodsId, const QList<Confirmation> &confirmations, QObject *context,
                     std::function<void(const Result<QList<ConfirmOutcome>> &)> done) const;
    /// Returns the shopper's unit (once, however often called) and records the failure.
    void rollback(qint64 goodsId, qint64 userId, RollbackReason reason, QObject *context,
                  std::function<void(const RollbackOutcome &)> done) const;
    /// The shopper's standing (one HGET).
    void status(qint64 goodsId, qint64 userId, QObject *context,
                std::function<void(const ShopperStatus &)> done) const;
    /// Reservations of \a goodsId reserved at or before \a cutoffMs (server clock, ms since
    /// the epoch) still waiting for their order, oldest first, at most \a limit.
    void pendingBefore(qint64 goodsId, qint64 cutoffMs, int limit, QObject *context,
                       std::function<void(const Result<QList<PendingReservation>> &)> done) const;
    /// Marks a solved proof-of-work \a challenge for \a goodsId as used for \a ttlMs (its
    /// remaining lifetime): true the first time on any instance, false once it was used.
    void claimChallenge(qint64 goodsId, QByteArrayView challenge, qint64 ttlMs, QObject *context,
                        std::function<void(const Result<bool> &)> done) const;
    /// Stock, total, reservations, pending count and sold-out mark in one snapshot.
    void inventory(qint64 goodsId, QObject *context,
                   std::function<void(const SaleInventory &)> done) const;

    /// The compiled-in scripts (for benchmarks and tools).
    static const RedisScript &reserveScript();
    static const RedisScript &rollbackScript();
    static const RedisScript &confirmScript();
    static const RedisScript &confirmManyScript();
    static const RedisScript &preloadScript();
    static const RedisScript &pendingScript();
    static const RedisScript &inventoryScript();

    /// The keys and arguments of the reserve script, as reserve() sends them.
    static QList<QByteArray> reserveKeys(qint64 goodsId, const QList<ReserveAsk> &asks);
    QList<QByteArray> reserveArgs(qint64 goodsId, const QList<ReserveAsk> &asks) const;
    /// The reserve script as one EVALSHA command for a load tool (redis-benchmark), with
    /// \a user standing for the shopper's id in its keys and arguments ("__rand_int__").
    QList<QByteArray> reserveCommand(qint64 goodsId, const QByteArray &user) const;

private:
    void load(qint64 goodsId, const QByteArray &mode, qint64 units, QObject *context,
              std::function<void(const PreloadOutcome &)> done) const;

    Redis *m_redis = nullptr; ///< the client the scripts run on
    QByteArray m_windowMs; ///< reserve's request window, as the script's argument
};

} // namespace flashsale::redis
