#pragma once

#include <QList>
#include <QtGlobal>

#include <array>
#include <atomic>

namespace flashsale::metrics {

class PrometheusText;

/// A latency histogram in milliseconds with fixed buckets (the same for every instance, so
/// histograms of many instances add up bucket by bucket), lock-free for the hot path. It
/// keeps lifetime counts (for Prometheus) and the counts of each of the last few whole
/// wall-clock seconds (for the site's live figures: every instance's second s is the same
/// second, so they merge). A value that races a second boundary may land in the
/// neighbouring second, as in RollingRate.
class Histogram
{
public:
    /// Upper bounds of the buckets in ms; a last, unbounded bucket follows.
    static constexpr std::array<double, 19> boundsMs {0.1,  0.25,  0.5,   1,     2.5,   5,    10,
                                                      25,   50,    100,   250,   500,   1000, 2500,
                                                      5000, 10000, 30000, 60000, 300000};
    static constexpr int bucketCount = int(boundsMs.size()) + 1;
    /// Counts per bucket (not cumulative), the last one unbounded.
    using Counts = std::array<qint64, bucketCount>;
    /// Seconds back that countsIn() can answer for.
    static constexpr int secondsKept = 14;

    /// Records one value of \a ms milliseconds now.
    void record(double ms) { recordAt(ms, nowMs()); }
    void recordAt(double ms, qint64 nowMs);

    /// Lifetime counts per bucket.
    Counts counts() const;
    /// Lifetime sum of the recorded values, in ms.
    double sumMs() const;
    /// Counts per bucket of the wall-clock second \a second (ms since the epoch / 1000);
    /// zeros when it is older than secondsKept.
    Counts countsIn(qint64 second) const;

    /// The \a q quantile (0..1) of \a counts in ms, interpolated inside its bucket as
    /// Prometheus' histogram_quantile() does; 0 for no values; a quantile in the unbounded
    /// bucket is its lower bound.
    static double quantile(const Counts &counts, double q);
    static qint64 total(const Counts &counts);
    /// Adds \a more into \a into, bucket by bucket.
    static void add(Counts &into, const Counts &more);

    /// One histogram family in seconds (`<name>_bucket{le}`, `_sum`, `_count`).
    void writePrometheus(PrometheusText &out, const QByteArray &name, const QByteArray &help) const;

    static qint64 nowMs();

private:
    static int bucketOf(double ms);

    struct Slot
    {
        std::atomic<qint64> second = -1; ///< which second this slot counts
        std::array<std::atomic<qint64>, bucketCount> counts {};
    };
    std::array<std::atomic<qint64>, bucketCount> m_counts {};
    std::atomic<qint64> m_sumUs =
        0; ///< sum in microseconds (an atomic double is not lock-free everywhere)
    std::array<Slot, secondsKept + 2> m_slots;
};

} // namespace flashsale::metrics
