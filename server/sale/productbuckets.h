#pragma once

#include "tokenbucket.h"

#include <QHash>

#include <memory>
#include <shared_mutex>

namespace flashsale::sale {

/// One token bucket per product. The configured rate is for the whole site: each of the
/// live instances gets rate / instances (and the burst likewise, at least 1).
class ProductBuckets
{
public:
    /// Sets the site-wide rate and burst of \a goodsId (creating its bucket).
    void configure(qint64 goodsId, double siteRatePerSecond, double siteBurst);
    /// How many API instances share the site-wide rates (from their heartbeats).
    void setInstances(int instances);
    int instances() const;

    /// The bucket of \a goodsId, or null if the product has none.
    std::shared_ptr<TokenBucket> bucket(qint64 goodsId) const;

private:
    struct Entry
    {
        std::shared_ptr<TokenBucket> bucket;
        double siteRate = 0;
        double siteBurst = 0;
    };
    void apply(Entry &entry) const;

    /// std::shared_mutex, not QReadWriteLock: its pthread rwlock is one ThreadSanitizer sees.
    mutable std::shared_mutex m_lock;
    QHash<qint64, Entry> m_entries;
    int m_instances = 1;
};

} // namespace flashsale::sale
