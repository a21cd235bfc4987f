#include "histogram.h"

#include "prometheustext.h"

#include <QDateTime>

#include <algorithm>

namespace flashsale::metrics {

qint64 Histogram::nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

int Histogram::bucketOf(double ms)
{
    return int(std::lower_bound(boundsMs.begin(), boundsMs.end(), ms) - boundsMs.begin());
}

void Histogram::recordAt(double ms, qint64 nowMs)
{
    ms = std::max(0.0, ms);
    const int bucket = bucketOf(ms);
    m_counts[size_t(bucket)].fetch_add(1, std::memory_order_relaxed);
    m_sumUs.fetch_add(qint64(ms * 1000), std::memory_order_relaxed);
    const qint64 second = nowMs / 1000;
    Slot &slot = m_slots[size_t(second % qint64(m_slots.size()))];
    qint64 seen = slot.second.load(std::memory_order_acquire);
    if (seen != second && slot.second.compare_exchange_strong(seen, second))
        for (auto &count : slot.counts)
            count.store(0, std::memory_order_release);
    slot.counts[size_t(bucket)].fetch_add(1, std::memory_order_relaxed);
}

Histogram::Counts Histogram::counts() const
{
    Counts out {};
    for (int i = 0; i < bucketCount; ++i)
        out[size_t(i)] = m_counts[size_t(i)].load(std::memory_order_relaxed);
    return out;
}

double Histogram::sumMs() const
{
    return double(m_sumUs.load(std::memory_order_relaxed)) / 1000;
}

Histogram::Counts Histogram::countsIn(qint64 second) const
{
    Counts out {};
    const Slot &slot = m_slots[size_t(second % qint64(m_slots.size()))];
    if (slot.second.load(std::memory_order_acquire) != second)
        return out;
    for (int i = 0; i < bucketCount; ++i)
        out[size_t(i)] = slot.counts[size_t(i)].load(std::memory_order_relaxed);
    return out;
}

qint64 Histogram::total(const Counts &counts)
{
    qint64 n = 0;
    for (qint64 c : counts)
        n += c;
    return n;
}

void Histogram::add(Counts &into, const Counts &more)
{
    for (int i = 0; i < bucketCount; ++i)
        into[size_t(i)] += more[size_t(i)];
}

double Histogram::quantile(const Counts &counts, double q)
{
    const qint64 n = total(counts);
    if (n == 0)
        return 0;
    const double rank = std::clamp(q, 0.0, 1.0) * double(n);
    qint64 below = 0;
    for (int i = 0; i < bucketCount; ++i) {
        const qint64 in = counts[size_t(i)];
        if (in > 0 && double(below + in) >= rank) {
            const double lower = i == 0 ? 0.0 : boundsMs[size_t(i - 1)];
            if (i == bucketCount - 1)
                return lower;
            const double upper = boundsMs[size_t(i)];
            return lower + (upper - lower) * (rank - double(below)) / double(in);
        }
        below += in;
    }
    return boundsMs.back();
}

void Histogram::writePrometheus(PrometheusText &out, const QByteArray &name,
                                const QByteArray &help) const
{
    out.family(name, "histogram", help);
    const Counts c = counts();
    qint64 cumulative = 0;
    for (int i = 0; i < bucketCount; ++i) {
        cumulative += c[size_t(i)];
        const QByteArray le = i == bucketCount - 1
            ? QByteArray("+Inf")
            : QByteArray::number(boundsMs[size_t(i)] / 1000, 'g', 10);
        out.sample(name + "_bucket", double(cumulative), {{"le", le}});
    }
    out.sample(name + "_sum", sumMs() / 1000);
    out.sample(name + "_count", double(cumulative));
}

} // namespace flashsale::metrics
