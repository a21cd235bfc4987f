#pragma once

#include "admissiongate.h"
#include "buyoutcome.h"
#include "buyrequest.h"
#include "saleoutcomes.h"
#include "salescripts.h"

#include <chrono>
#include <functional>
#include <memory>
#include <variant>

namespace flashsale::amqp {
struct Reservation;
}
namespace flashsale::catalog {
class SaleCatalog;
}
namespace flashsale::users {
class SessionTokens;
}

namespace flashsale::sale {

class CircuitBreaker;
class KillSwitch;
class ProductBuckets;

/// Step 6: the reserve script, on the calling thread's Redis client. One per thread.
class ReserveStep
{
public:
    virtual ~ReserveStep() = default;
    /// Runs the reserve script for \a userId and \a goodsId within the sale's per-address
    /// window \a address; \a done is called once.
    virtual void reserve(qint64 goodsId, qint64 userId, const redis::AddressWindow &address,
                         std::function<void(const redis::ReserveOutcome &)> done) = 0;
};

/// Step 7: where reservations go to become orders (the RabbitMQ publisher). Thread-safe.
class OrderQueue
{
public:
    virtual ~OrderQueue() = default;
    /// Reservations handed over and not yet confirmed by the broker.
    virtual qint64 backlog() const = 0;
    /// Hands \a reservation over; it is the queue's from now on (the broker's confirm comes
    /// later, and the reconciler covers a loss).
    virtual void publish(const amqp::Reservation &reservation) = 0;
};

/// A buy that passed steps 1 to 5 and may try to reserve, after `wait` (a token of the
/// product's bucket reserved for a moment from now). Holds the request's place in the
/// admission gate until the last copy is gone.
struct BuyAdmission
{
    qint64 goodsId = 0; ///< the product
    qint64 userId = 0; ///< the shopper the session speaks for
    redis::AddressWindow address; ///< the sale's per-address window (windowMs 0: none)
    std::chrono::microseconds wait {0}; ///< how long to wait before reserving
    std::shared_ptr<AdmissionGate::Ticket> ticket; ///< the place in the gate
    std::chrono::steady_clock::time_point arrivedAt; ///< the request's arrival (latency)
};

/// The buy pipeline (README, Architecture) as a service: the checks that need no I/O (gate,
/// session, window, path, sold-out mark, bucket, breakers) on the caller's thread, then the reserve
/// script and the hand-over to the publisher. Every outcome is counted in SaleMetrics.
/// Nothing here knows HTTP: a front turns a BuyRequest into a call and a BuyOutcome into
/// an answer. check() is thread-safe; reserve() runs on the thread of its ReserveStep.
class BuyDesk
{
public:
    /// The services the desk uses; each outlives the desk and is thread-safe.
    struct Parts
    {
        catalog::SaleCatalog *catalog = nullptr; ///< the sales, the sold-out marks
        const users::SessionTokens *sessions = nullptr; ///< who the bearer is
        KillSwitch *killSwitch = nullptr; ///< step 1
        ProductBuckets *buckets = nullptr; ///< step 5
        AdmissionGate *admission = nullptr; ///< bound on buys in flight
        CircuitBreaker *redisBreaker = nullptr; ///< step 6's dependency
        CircuitBreaker *rabbitBreaker = nullptr; ///< step 7's dependency
        OrderQueue *orders = nullptr; ///< step 7; null: no reservations
        metrics::SaleMetrics *metrics = nullptr; ///< counts every outcome
        std::chrono::milliseconds buyWait {5}; ///< how long a buy may wait for a token
        qint64 maxPublishBacklog = 100'000; ///< past it buys are refused (503)
        /// The shopper's address from the peer and X-Forwarded-For (trusting only the
        /// site's proxies), asked only for a sale with a per-address window; null: the peer.
        std::function<QByteArray(const QByteArray &peer, const QByteArray &forwardedFor)>
            shopperAddress;
    };

    /// Either the buy's final outcome, or its admission to the reserve step.
    using Checked = std::variant<BuyOutcome, BuyAdmission>;

    explicit BuyDesk(Parts parts);

    /// Steps 1 to 5, cheapest first: gate (admission, kill switch), session, window, path,
    /// sold-out mark, bucket; then the publisher's breaker and backlog. No I/O. A final
    /// outcome is counted here.
    Checked check(const BuyRequest &request) const;

    /// Steps 6 to 8 for an admitted buy: the Redis breaker (last, so a half-open breaker's
    /// probe is a real reserve), the reserve script on \a step, the hand-over to the
    /// publisher; \a done gets the outcome (counted) once.
    void reserve(const BuyAdmission &admission, ReserveStep &step,
                 std::function<void(const BuyOutcome &)> done) const;

    /// check(), then reserve() right away or after the bucket's wait through \a later
    /// (which runs a function after a delay on \a step's thread).
    void buy(const BuyRequest &request, ReserveStep &step,
             const std::function<void(std::chrono::microseconds, std::function<void()>)> &later,
             std::function<void(const BuyOutcome &)> done) const;

private:
    BuyOutcome finish(BuyOutcome outcome, std::chrono::steady_clock::time_point arrivedAt) const;
    BuyOutcome fromReserve(const BuyAdmission &admission, const redis::ReserveOutcome &o) const;

    Parts m_parts;
};

} // namespace flashsale::sale
