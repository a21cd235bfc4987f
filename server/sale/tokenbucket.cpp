#include "tokenbucket.h"

#include <QThread>

#include <algorithm>
#include <limits>

namespace flashsale::sale {

namespace {
qint64 saturatedAdd(qint64 a, double b)
{
    const double sum = double(a) + b;
    if (sum >= double(std::numeric_limits<qint64>::max()))
        return std::numeric_limits<qint64>::max();
    return qint64(sum);
}
} // namespace

TokenBucket::TokenBucket(double ratePerSecond, double burst)
    : TokenBucket(ratePerSecond, burst, nowMicros())
{ }

TokenBucket::TokenBucket(double ratePerSecond, double burst, qint64 nowMicros)
    : m_nextFreeTicketMicros(nowMicros)
    , m_latestMicros(nowMicros)
{
    setRateAt(ratePerSecond, burst, nowMicros);
}

qint64 TokenBucket::nowMicros()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now().time_since_epoch())
        .count();
}

void TokenBucket::setRate(double ratePerSecond, double burst)
{
    setRateAt(ratePerSecond, burst, nowMicros());
}

void TokenBucket::setRateAt(double ratePerSecond, double burst, qint64 nowMicros)
{
    Q_ASSERT(ratePerSecond > 0 && burst >= 1);
    const std::lock_guard lock(m_mutex);
    resync(nowMicros);
    m_stableIntervalMicros = 1e6 / ratePerSecond;
    const double oldMax = m_maxPermits;
    m_maxPermits = burst;
    // Guava: a new limiter starts empty; a changed one keeps its fill ratio.
    m_storedPermits = oldMax == 0 ? 0 : m_storedPermits * m_maxPermits / oldMax;
}

double TokenBucket::rate() const
{
    const std::lock_guard lock(m_mutex);
    return 1e6 / m_stableIntervalMicros;
}

double TokenBucket::burst() const
{
    const std::lock_guard lock(m_mutex);
    return m_maxPermits;
}

void TokenBucket::resync(qint64 nowMicros)
{
    if (nowMicros > m_nextFreeTicketMicros) {
        const double newPermits =
            double(nowMicros - m_nextFreeTicketMicros) / m_stableIntervalMicros;
        m_storedPermits = std::min(m_maxPermits, m_storedPermits + newPermits);
        m_nextFreeTicketMicros = nowMicros;
    }
}

std::optional<qint64> TokenBucket::tryReserveAt(int permits, qint64 timeoutMicros, qint64 nowMicros)
{
    if (permits <= 0)
        return 0;
    const std::lock_guard lock(m_mutex);
    nowMicros = m_latestMicros = std::max(nowMicros, m_latestMicros);
    // Guava's canAcquire: the earliest moment is known before resync.
    if (m_nextFreeTicketMicros - std::max<qint64>(timeoutMicros, 0) > nowMicros)
        return std::nullopt;
    resync(nowMicros);
    const qint64 momentAvailable = m_nextFreeTicketMicros;
    const double storedToSpend = std::min(double(permits), m_storedPermits);
    const double freshPermits = double(permits) - storedToSpend;
    // SmoothBursty: stored permits cost nothing; fresh ones cost the steady interval.
    m_nextFreeTicketMicros =
        saturatedAdd(m_nextFreeTicketMicros, freshPermits * m_stableIntervalMicros);
    m_storedPermits -= storedToSpend;
    return std::max<qint64>(momentAvailable - nowMicros, 0);
}

std::optional<std::chrono::microseconds> TokenBucket::tryReserve(int permits,
                                                                 std::chrono::microseconds timeout)
{
    const std::optional<qint64> wait = tryReserveAt(permits, timeout.count(), nowMicros());
    if (!wait)
        return std::nullopt;
    return std::chrono::microseconds(*wait);
}

bool TokenBucket::tryAcquire(int permits)
{
    return tryReserveAt(permits, 0, nowMicros()).has_value();
}

bool TokenBucket::tryAcquire(int permits, std::chrono::microseconds timeout)
{
    const std::optional<qint64> wait = tryReserveAt(permits, timeout.count(), nowMicros());
    if (!wait)
        return false;
    if (*wait > 0)
        QThread::usleep(static_cast<unsigned long>(*wait));
    return true;
}

qint64 TokenBucket::timeUntilAvailableAt(qint64 nowMicros) const
{
    const std::lock_guard lock(m_mutex);
    return std::max<qint64>(m_nextFreeTicketMicros - nowMicros, 0);
}

std::chrono::microseconds TokenBucket::timeUntilAvailable() const
{
    return std::chrono::microseconds(timeUntilAvailableAt(nowMicros()));
}

} // namespace flashsale::sale
