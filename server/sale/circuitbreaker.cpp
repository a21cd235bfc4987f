#include "circuitbreaker.h"

#include <QLoggingCategory>

#include <chrono>

Q_LOGGING_CATEGORY(lcBreaker, "flashsale.sale.breaker")

namespace flashsale::sale {

CircuitBreaker::CircuitBreaker(QString name, Settings settings)
    : m_name(std::move(name))
    , m_settings(settings)
{ }

qint64 CircuitBreaker::nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

QString CircuitBreaker::stateName(State state)
{
    switch (state) {
    case State::Closed:
        return QStringLiteral("closed");
    case State::Open:
        return QStringLiteral("open");
    case State::HalfOpen:
        return QStringLiteral("half_open");
    }
    return {};
}

bool CircuitBreaker::allow()
{
    return allowAt(nowMs());
}
void CircuitBreaker::recordSuccess()
{
    recordSuccessAt(nowMs());
}
void CircuitBreaker::recordFailure()
{
    recordFailureAt(nowMs());
}
CircuitBreaker::State CircuitBreaker::state() const
{
    return stateAt(nowMs());
}

CircuitBreaker::State CircuitBreaker::stateAt(qint64 nowMs) const
{
    const std::lock_guard lock(m_mutex);
    if (m_state == State::Open && nowMs >= m_openedAtMs + m_settings.openMs)
        return State::HalfOpen;
    return m_state;
}

bool CircuitBreaker::allowAt(qint64 nowMs)
{
    const std::lock_guard lock(m_mutex);
    switch (m_state) {
    case State::Closed:
        return true;
    case State::Open:
        if (nowMs < m_openedAtMs + m_settings.openMs)
            return false;
        m_state = State::HalfOpen;
        m_probeInFlight = false;
        qCInfo(lcBreaker).noquote() << m_name << "half-open: probing";
        [[fallthrough]];
    case State::HalfOpen:
        if (m_probeInFlight)
            return false;
        m_probeInFlight = true;
        return true;
    }
    return false;
}

void CircuitBreaker::recordSuccessAt(qint64 nowMs)
{
    record(false, nowMs);
}

void CircuitBreaker::recordFailureAt(qint64 nowMs)
{
    record(true, nowMs);
}

void CircuitBreaker::resetWindow()
{
    m_buckets.fill(Bucket());
}

void CircuitBreaker::record(bool failed, qint64 nowMs)
{
    const std::lock_guard lock(m_mutex);
    // Past the open period, an outcome decides as a probe's would: callers that only look
    // at state() (and never take the probe through allow()) still close it again.
    const bool openPeriodOver = m_state == State::Open && nowMs >= m_openedAtMs + m_settings.openMs;
    if (m_state == State::HalfOpen || (m_state == State::Open && m_probeInFlight)
        || openPeriodOver) {
        m_probeInFlight = false;
        if (failed) {
            m_state = State::Open;
            m_openedAtMs = nowMs;
            qCWarning(lcBreaker).noquote() << m_name << "probe failed: open again";
        } else {
            m_state = State::Closed;
            resetWindow();
            qCInfo(lcBreaker).noquote() << m_name << "probe succeeded: closed";
        }
        return;
    }
    if (m_state == State::Open)
        return; // a late outcome of a call made before it opened

    const qint64 slice = std::max<qint64>(m_settings.windowMs / bucketCount, 1);
    const qint64 slot = nowMs / slice;
    Bucket &bucket = m_buckets[size_t(slot % bucketCount)];
    if (bucket.slot != slot)
        bucket = Bucket {slot, 0, 0};
    ++bucket.calls;
    if (failed)
        ++bucket.failures;

    if (!failed)
        return;
    int calls = 0;
    int failures = 0;
    for (const Bucket &b : m_buckets) {
        if (b.slot > slot - bucketCount) {
            calls += b.calls;
            failures += b.failures;
        }
    }
    if (calls >= m_settings.minimumCalls && failures >= m_settings.failureRate * calls) {
        m_state = State::Open;
        m_openedAtMs = nowMs;
        resetWindow();
        qCWarning(lcBreaker).noquote()
            << m_name << "open:" << failures << "of" << calls << "calls failed";
    }
}

} // namespace flashsale::sale
