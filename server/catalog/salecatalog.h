#pragma once

#include "salerecord.h"

#include <QHash>
#include <QSet>

#include <atomic>
#include <memory>
#include <mutex>

namespace flashsale::catalog {

/// This instance's copy of every sale, read by the HTTP threads without a database call
/// and replaced whole when the configuration changes. Readers take a snapshot (a shared
/// pointer, so a replacement never pulls data from under a reader). Thread-safe.
class SaleCatalog
{
public:
    using Snapshot = std::shared_ptr<const QHash<qint64, SaleRecord>>;

    SaleCatalog();

    Snapshot snapshot() const;
    void replace(QHash<qint64, SaleRecord> sales);
    /// Replaces the sales only if nothing changed them since generation() returned
    /// \a generation (so a reload that read the database before an admin change cannot
    /// undo it); false when it did not replace.
    bool replaceIf(QHash<qint64, SaleRecord> sales, quint64 generation);
    /// Counts changes made on this instance (upsert, touch).
    quint64 generation() const;
    /// Records a change made elsewhere (a switch), so reloads begun before it are dropped.
    void touch();
    /// Puts one sale in (after an admin change on this instance).
    void upsert(const SaleRecord &sale);

    /// The local sold-out mark: set when the stock reached zero, so a sold-out product
    /// costs no Redis call.
    bool isSoldOut(qint64 goodsId) const;
    void setSoldOut(qint64 goodsId, bool soldOut);

    /// True once the sales were loaded from the database (an instance is ready for traffic
    /// only then; before, an unknown product may still be on sale).
    bool isLoaded() const { return m_loaded.load(std::memory_order_acquire); }
    void markLoaded() { m_loaded.store(true, std::memory_order_release); }

private:
    std::atomic<bool> m_loaded = false;
    mutable std::mutex m_mutex;
    Snapshot m_sales;
    quint64 m_generation = 0;
    QSet<qint64> m_soldOut;
};

} // namespace flashsale::catalog
