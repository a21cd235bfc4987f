#pragma once

#include <QObject>
#include <QTimer>

namespace flashsale::db {
class SqlExecutor;
}
namespace flashsale::sale {
class KillSwitch;
class ProductBuckets;
} // namespace flashsale::sale

namespace flashsale::catalog {

class SaleCatalog;

/// Keeps this instance's sales, switches and token rates in step with the database: loads
/// them at start, whenever asked (SaleEvents asks at once when any instance announces an
/// admin change on Redis) and again every interval, the safety net for missed events.
class CatalogRefresher : public QObject
{
    Q_OBJECT
public:
    CatalogRefresher(db::SqlExecutor &sql, SaleCatalog &catalog, sale::KillSwitch &killSwitch,
                     sale::ProductBuckets &buckets, int intervalMs, QObject *parent = nullptr);

    /// Loads now and then every interval.
    void start();
    /// Loads now (after an admin change). A call while a load is running loads once more
    /// after it, since the running one may have read the database before the change.
    void refresh();
    /// Whether a load sets the local sold-out mark from the database's stock (true, the
    /// default, without Redis); with Redis the mark follows Redis (SaleEvents).
    void setSoldOutFromDatabase(bool fromDatabase) { m_soldOutFromDatabase = fromDatabase; }

Q_SIGNALS:
    /// A load finished: \a ok false when the database could not be read (\a error says why).
    void refreshed(bool ok, const QString &error);

private:
    db::SqlExecutor &m_sql;
    SaleCatalog &m_catalog;
    sale::KillSwitch &m_killSwitch;
    sale::ProductBuckets &m_buckets;
    QTimer m_timer;
    bool m_inFlight = false;
    bool m_again = false; ///< refresh() was called during a load: load again after it
    bool m_soldOutFromDatabase = true;
};

} // namespace flashsale::catalog
