#pragma once

#include <QtGlobal>

#include <chrono>
#include <mutex>
#include <optional>

namespace flashsale::sale {

/// A token bucket with the semantics of Guava's RateLimiter (SmoothBursty): permits are
/// issued at a steady rate, unused ones are stored up to the burst, and a request that
/// finds too few tokens may still be granted by reserving future ones (the next caller
/// pays for it). Thread-safe.
class TokenBucket
{
public:
    using Clock = std::chrono::steady_clock;

    /// \a ratePerSecond permits per second, at most \a burst stored.
    TokenBucket(double ratePerSecond, double burst);
    /// The same, created at \a nowMicros of the clock the *At functions are given.
    TokenBucket(double ratePerSecond, double burst, qint64 nowMicros);

    /// Changes rate and burst; stored permits are scaled to the new burst (as Guava does).
    void setRate(double ratePerSecond, double burst);
    double rate() const;
    double burst() const;

    /// Takes \a permits now if they are available without waiting.
    bool tryAcquire(int permits = 1);

    /// Takes \a permits if they can be had within \a timeout, and blocks the calling thread
    /// until they are (Guava's tryAcquire(permits, timeout)). Not for an event-loop thread:
    /// use tryReserve there and answer after the returned wait.
    bool tryAcquire(int permits, std::chrono::microseconds timeout);

    /// Reserves \a permits if they can be had within \a timeout and returns how long the
    /// caller must wait before using them; nothing when they cannot (nothing is taken).
    std::optional<std::chrono::microseconds> tryReserve(int permits,
                                                        std::chrono::microseconds timeout);

    /// How long until one permit could be had without waiting (0 if now): for Retry-After.
    std::chrono::microseconds timeUntilAvailable() const;

    /// The same with an explicit time, in microseconds on any monotonic clock; for tests.
    std::optional<qint64> tryReserveAt(int permits, qint64 timeoutMicros, qint64 nowMicros);
    qint64 timeUntilAvailableAt(qint64 nowMicros) const;
    void setRateAt(double ratePerSecond, double burst, qint64 nowMicros);

    static qint64 nowMicros();

private:
    void resync(qint64 nowMicros);

    mutable std::mutex m_mutex;
    double m_storedPermits = 0; ///< unused permits saved up, at most m_maxPermits
    double m_maxPermits = 0; ///< the burst
    double m_stableIntervalMicros = 0; ///< time between two permits at the steady rate
    qint64 m_nextFreeTicketMicros = 0; ///< when the next request may be granted without waiting
    /// The latest time a caller brought: a caller's clock is read before it takes the lock,
    /// so one preempted in between comes late with an older time, and is served as of this
    /// one (else a full bucket would look empty to it for as long as it was held up).
    qint64 m_latestMicros = 0;
};

} // namespace flashsale::sale
