#pragma once

#include <QString>

#include <array>
#include <mutex>

namespace flashsale::sale {

/// How a CircuitBreaker judges a dependency.
struct CircuitBreakerSettings
{
    double failureRate = 0.5; ///< fraction of failed calls that opens the breaker
    int minimumCalls = 10; ///< fewer calls in the window never open it
    qint64 windowMs = 10'000; ///< the rolling window the rate is measured over
    qint64 openMs = 2'000; ///< how long it stays open before a probe
};

/// Stops calling a dependency that keeps failing. Closed: calls go through and their
/// outcomes are counted over a rolling window; when at least `minimumCalls` were made and
/// the failure rate reaches `failureRate`, it opens. Open: calls are refused at once for
/// `openMs`. Then half-open: one probe call goes through; its success closes the breaker,
/// its failure opens it again. A caller that cannot report a probe's outcome (it learns it
/// much later, or not for every call) checks state() instead of allow(): past the open
/// period, the first outcome recorded decides as a probe's would. Thread-safe.
class CircuitBreaker
{
public:
    enum class State { Closed, Open, HalfOpen };

    using Settings = CircuitBreakerSettings;

    explicit CircuitBreaker(QString name, Settings settings = {});

    /// True if a call may be made now. In half-open state only the first caller gets true
    /// (the probe); it must report its outcome.
    bool allow();
    void recordSuccess();
    void recordFailure();
    State state() const;

    /// The same with an explicit monotonic time in milliseconds, for tests.
    bool allowAt(qint64 nowMs);
    void recordSuccessAt(qint64 nowMs);
    void recordFailureAt(qint64 nowMs);
    State stateAt(qint64 nowMs) const;

    const QString &name() const { return m_name; }
    /// "closed", "open" or "half_open", as in docs/api.md.
    static QString stateName(State state);
    static qint64 nowMs();

private:
    static constexpr int bucketCount = 10;
    struct Bucket
    {
        qint64 slot = -1; ///< which window slice this bucket counts (nowMs / slice)
        int calls = 0;
        int failures = 0;
    };

    void record(bool failed, qint64 nowMs);
    void resetWindow();

    const QString m_name;
    const Settings m_settings;
    mutable std::mutex m_mutex;
    State m_state = State::Closed;
    qint64 m_openedAtMs = 0;
    bool m_probeInFlight = false;
    std::array<Bucket, bucketCount> m_buckets;
};

} // namespace flashsale::sale
