#include "catalogrefresher.h"

#include "catalogstore.h"
#include "killswitch.h"
#include "productbuckets.h"
#include "salecatalog.h"
#include "sqlexecutor.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcRefresher, "flashsale.catalog.refresh")

namespace flashsale::catalog {

namespace {
struct Loaded
{
    QString error;
    QList<SaleRecord> sales;
    catalogstore::Switches switches;
};
} // namespace

CatalogRefresher::CatalogRefresher(db::SqlExecutor &sql, SaleCatalog &catalog,
                                   sale::KillSwitch &killSwitch, sale::ProductBuckets &buckets,
                                   int intervalMs, QObject *parent)
    : QObject(parent)
    , m_sql(sql)
    , m_catalog(catalog)
    , m_killSwitch(killSwitch)
    , m_buckets(buckets)
{
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &CatalogRefresher::refresh);
}

void CatalogRefresher::start()
{
    refresh();
    m_timer.start();
}

void CatalogRefresher::refresh()
{
    if (m_inFlight) {
        m_again = true;
        return;
    }
    m_inFlight = true;
    m_again = false;
    const quint64 generation = m_catalog.generation();
    m_sql
        .run([](QSqlDatabase &db) {
            Loaded loaded;
            const auto sales = catalogstore::listSales(db);
            const auto switches = catalogstore::loadDegradation(db);
            if (!sales)
                loaded.error = sales.error();
            else if (!switches)
                loaded.error = switches.error();
            else {
                loaded.sales = sales.value();
                loaded.switches = switches.value();
            }
            return loaded;
        })
        .then(this, [this, generation](const Loaded &loaded) {
            m_inFlight = false;
            if (m_again) // a change was announced during this load: it may predate it
                QMetaObject::invokeMethod(this, &CatalogRefresher::refresh, Qt::QueuedConnection);
            if (!loaded.error.isEmpty()) {
                qCWarning(lcRefresher).noquote() << "cannot reload the sales:" << loaded.error;
                Q_EMIT refreshed(false, loaded.error);
                return;
            }
            QHash<qint64, SaleRecord> sales;
            for (const SaleRecord &sale : loaded.sales)
                sales.insert(sale.goods.goodsId, sale);
            if (!m_catalog.replaceIf(std::move(sales), generation)) {
                // An admin change on this instance came in meanwhile: this load may predate
                // it, so load again rather than undo it.
                if (!m_again)
                    QMetaObject::invokeMethod(this, &CatalogRefresher::refresh,
                                              Qt::QueuedConnection);
                return;
            }
            for (const SaleRecord &sale : loaded.sales) {
                m_buckets.configure(sale.goods.goodsId, sale.ratePerSecond, double(sale.burst));
                // Without Redis, the database's stock reaching zero marks the product
                // sold out here.
                if (m_soldOutFromDatabase && sale.schedule)
                    m_catalog.setSoldOut(sale.goods.goodsId, sale.databaseStock <= 0);
            }
            m_killSwitch.replace(loaded.switches);
            Q_EMIT refreshed(true, QString());
        });
}

} // namespace flashsale::catalog
