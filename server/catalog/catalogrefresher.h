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
/// them at start and again every interval, so a change made through any instance's admin
/// API reaches this one within the interval. (Redis pub/sub makes it immediate once the
/// Redis client is in; this stays as the reload on start and the safety net.)
class CatalogRefresher : public QObject
{
    Q_OBJECT
public:
    CatalogRefresher(db::SqlExecutor &sql, SaleCatalog &catalog, sale::KillSwitch &killSwitch,
                     sale::ProductBuckets &buckets, int intervalMs, QObject *parent = nullptr);

    /// Loads now and then every interval.
    void start();
    /// Loads now (after an admin change on this instance).
    void refresh();

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
};

} // namespace flashsale::catalog
