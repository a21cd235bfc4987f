#pragma once

#include "adminapi/salestatus.h"
#include "apicontext.h"
#include "figurespublisher.h"
#include "saleoutcomes.h"

#include <QHash>
#include <QJsonObject>

#include <functional>
#include <memory>

class QHttpServer;

namespace flashsale::catalog {
struct SaleRecord;
}

namespace flashsale::http {

/// The admin routes of docs/api.md (goods, sales, rates, switches, stats, the live
/// WebSocket), each behind the admin bearer token, every change audited. Added to the
/// admin listener's QHttpServer only: the shopper port does not have them.
class AdminApi
{
public:
    explicit AdminApi(ApiContext context)
        : m_context(std::move(context))
    { }

    /// Adds every admin route to \a server (called on the server's thread).
    void install(QHttpServer &server) const;

    /// Each product's stock and pending reservations as Redis holds them.
    using Inventories = QHash<qint64, redis::SaleInventory>;

    /// `Stats` of docs/api.md: the site's live \a figures of one second (\a current false:
    /// the last ones read, marked stale), RabbitMQ's queue counts, stock and pending from
    /// \a inventories.
    static QJsonObject stats(const ApiContext &context, const Inventories &inventories,
                             const metrics::SiteFigures &figures, bool current);
    /// Reads what stats() needs (Redis inventories and live figures, on the admin thread's
    /// client) and calls \a done with the `Stats` JSON of every second after \a afterSecond
    /// up to the latest (a few at most; only the latest when \a afterSecond is 0), oldest
    /// first, and the latest second. The live feed so sends each second once, in order.
    static void readStats(const std::shared_ptr<const ApiContext> &context, QObject *receiver,
                          qint64 afterSecond,
                          std::function<void(const QList<QJsonObject> &, qint64 latest)> done);
    /// `SaleStatus` of docs/api.md (stock and pending from \a inventories; a product missing
    /// there, as when Redis is down, shows the database's stock and no pending).
    static adminapi::SaleStatus saleStatus(const ApiContext &context,
                                           const catalog::SaleRecord &sale, qint64 nowMs,
                                           const Inventories &inventories = {});

private:
    ApiContext m_context;
};

} // namespace flashsale::http
