#include "productbuckets.h"

#include <algorithm>
#include <mutex>

namespace flashsale::sale {

void ProductBuckets::apply(Entry &entry) const
{
    const double rate = entry.siteRate / m_instances;
    const double burst = std::max(1.0, entry.siteBurst / m_instances);
    if (!entry.bucket)
        entry.bucket = std::make_shared<TokenBucket>(rate, burst);
    else if (entry.bucket->rate() != rate || entry.bucket->burst() != burst)
        entry.bucket->setRate(rate, burst);
}

void ProductBuckets::configure(qint64 goodsId, double siteRatePerSecond, double siteBurst)
{
    const std::unique_lock lock(m_lock);
    Entry &entry = m_entries[goodsId];
    entry.siteRate = siteRatePerSecond;
    entry.siteBurst = siteBurst;
    apply(entry);
}

void ProductBuckets::setInstances(int instances)
{
    const std::unique_lock lock(m_lock);
    m_instances = std::max(instances, 1);
    for (Entry &entry : m_entries)
        apply(entry);
}

int ProductBuckets::instances() const
{
    const std::shared_lock lock(m_lock);
    return m_instances;
}

std::shared_ptr<TokenBucket> ProductBuckets::bucket(qint64 goodsId) const
{
    const std::shared_lock lock(m_lock);
    return m_entries.value(goodsId).bucket;
}

} // namespace flashsale::sale
