#include "adminapi.h"

#include "adminapi/degradation.h"
#include "adminapi/salelist.h"
#include "adminapi/saleschedule.h"
#include "adminapi/salestatus.h"
#include "adminapi/stats.h"
#include "catalogrefresher.h"
#include "catalogstore.h"
#include "circuitbreaker.h"
#include "deferredanswer.h"
#include "figurespublisher.h"
#include "jsonresponse.h"
#include "killswitch.h"
#include "pathsigner.h"
#include "productbuckets.h"
#include "queuedepthprobe.h"
#include "redis.h"
#include "requestdecoding.h"
#include "routehelpers.h"
#include "salecatalog.h"
#include "saleevents.h"
#include "salekeys.h"
#include "salemetrics.h"
#include "salescripts.h"
#include "sqlexecutor.h"

#include <QDateTime>
#include <QHttpServer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>

#include <functional>

Q_LOGGING_CATEGORY(lcAdmin, "flashsale.http.admin")

namespace flashsale::http {

using StatusCode = QHttpServerResponse::StatusCode;
using catalog::SaleRecord;
using flashsale::SaleEditRules;

namespace {

QDateTime utc(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

/// The audit record's detail of a schedule: the body of the request, as the console sends it.
QJsonObject scheduleJson(const sale::SaleSchedule &s)
{
    adminapi::SaleSchedule wire;
    wire.stock = s.stock;
    wire.revealAt = utc(s.revealAtMs);
    wire.startAt = utc(s.startAtMs);
    wire.endAt = utc(s.endAtMs);
    wire.ratePerSecond = s.ratePerSecond;
    wire.burst = s.burst;
    wire.challengeBits = s.challengeBits;
    wire.addressWindowMs = s.addressWindowMs;
    return wire.toJson();
}

/// Every kill switch as `Degradation` (products by id).
QJsonObject degradationJson(const sale::KillSwitch &killSwitch)
{
    const sale::KillSwitch::Switches all = killSwitch.all();
    adminapi::Degradation d;
    d.site.on = all.site.on;
    d.site.message = all.site.message;
    QList<qint64> ids = all.goods.keys();
    std::sort(ids.begin(), ids.end());
    for (qint64 id : std::as_const(ids)) {
        const sale::KillSwitch::Switch &s = all.goods[id];
        d.goods.append({id, s.on, s.message});
    }
    return d.toJson();
}

bool tokenMatches(const QByteArray &expected, const QByteArray &given)
{
    return !expected.isEmpty() && sale::constantTimeEquals(expected, given);
}

bool authorized(const ApiContext &ctx, const QHttpServerRequest &request)
{
    const QByteArray header = request.value("authorization");
    static const QByteArray prefix = "Bearer ";
    return header.startsWith(prefix)
        && tokenMatches(ctx.adminToken, header.mid(prefix.size()).trimmed());
}

QHttpServerResponse unauthorized()
{
    return errorResponse(StatusCode::Unauthorized, QStringLiteral("unauthorized"),
                         QStringLiteral("The admin token is missing or wrong."));
}

QString actorOf(const QHttpServerRequest &request)
{
    return QStringLiteral("admin@") + request.remoteAddress().toString();
}

/// What an admin job did, carried back to the HTTP thread.
struct AdminOutcome
{
    int status = 200;
    QString code; ///< error code when status >= 400
    QString message; ///< error message
    QJsonObject body; ///< the answer when it is not a sale
    std::optional<SaleRecord> sale; ///< answer with this sale's SaleStatus
    QList<SaleRecord> sales; ///< answer with {sales: [SaleStatus]}
    bool listSales = false;
    std::optional<DegradationInput> degradation; ///< a switch to apply here once committed
    qint64 preload = -1; ///< stock to load into Redis once committed (schedule)
    qint64 topUp = 0; ///< units to add in Redis once committed (stock top-up)
};

// The admin thread's Redis scripts (the Redis client is per thread; install() sets it).
thread_local std::optional<redis::SaleScripts> adminScripts;
// The admin thread's Redis client, which announces every change to all instances.
thread_local redis::Redis *adminRedis = nullptr;

/// Tells every instance (this one included) that \a action changed the configuration of
/// \a target (a goods id, or "site"), so they reload it at once.
void announce(const QString &action, const QString &target)
{
    if (!adminRedis) {
        qCWarning(lcAdmin).noquote()
            << "no Redis: other instances see" << action << "on their next periodic reload";
        return;
    }
    adminRedis->publish(redis::SaleKeys::eventChannel(),
                        catalog::SaleEvents::configChanged(action, target.toLongLong()), nullptr,
                        [action](const redis::RedisReply &reply) {
                            if (reply.isError())
                                qCWarning(lcAdmin).noquote()
                                    << "cannot announce" << action << ":" << reply.bytes()
                                    << "(other instances see it on their next periodic reload)";
                        });
}

AdminOutcome failed(int status, const QString &code, const QString &message)
{
    AdminOutcome o;
    o.status = status;
    o.code = code;
    o.message = message;
    return o;
}

AdminOutcome databaseFailed(const QString &error)
{
    qCWarning(lcAdmin).noquote() << error;
    return failed(503, QStringLiteral("degraded"),
                  QStringLiteral("The database is not answering; nothing was changed."));
}

AdminOutcome noGoods(qint64 goodsId)
{
    return failed(404, QStringLiteral("not_found"),
                  QStringLiteral("There is no goods %1.").arg(goodsId));
}

AdminOutcome fromSale(const Result<std::optional<SaleRecord>> &sale, qint64 goodsId)
{
    if (!sale)
        return databaseFailed(sale.error());
    if (!sale.value())
        return noGoods(goodsId);
    AdminOutcome o;
    o.sale = *sale.value();
    return o;
}

/// Reads the Redis inventory of \a ids on the admin thread's client, then calls \a done
/// (with what could be read: a product Redis did not answer for is left out).
void readInventories(const QList<qint64> &ids, QObject *context,
                     std::function<void(const AdminApi::Inventories &)> done)
{
    if (!adminScripts || ids.isEmpty())
        return done({});
    struct Gathering
    {
        AdminApi::Inventories inventories;
        qsizetype waiting = 0;
        std::function<void(const AdminApi::Inventories &)> done;
    };
    auto gathering = std::make_shared<Gathering>();
    gathering->waiting = ids.size();
    gathering->done = std::move(done);
    for (qint64 id : ids) {
        adminScripts->inventory(id, context, [gathering, id](const redis::SaleInventory &inv) {
            if (inv.ok && inv.exists)
                gathering->inventories.insert(id, inv);
            else if (!inv.ok)
                qCWarning(lcAdmin).noquote()
                    << "cannot read the Redis stock of" << id << ":" << inv.error;
            if (--gathering->waiting == 0)
                gathering->done(gathering->inventories);
        });
    }
}

// The admin thread's last reading of the site's live figures: answers with the last known
// figures (marked stale) while Redis does not answer, and gives SaleStatus its accepted rate.
thread_local metrics::FiguresReader::Reading lastFigures;
thread_local qint64 lastFiguresAtMs = 0;

/// Reads the live figures of every instance of the site (on the admin thread's client),
/// then calls \a done with them and whether they are current.
void readFigures(const ApiContext &ctx, QObject *context,
                 std::function<void(const metrics::FiguresReader::Reading &, bool current)> done)
{
    if (!adminRedis)
        return done(lastFigures, false);
    metrics::FiguresReader::read(
        *adminRedis, ctx.site, context, [done](const metrics::FiguresReader::Reading &reading) {
            if (!reading.ok) {
                qCWarning(lcAdmin).noquote()
                    << "cannot read the live figures (showing the last ones):" << reading.error;
                return done(lastFigures, false);
            }
            lastFigures = reading;
            lastFiguresAtMs = nowMs();
            done(reading, true);
        });
}

/// The products with a sale scheduled, whose stock Redis holds.
QList<qint64> scheduledIds(const ApiContext &ctx)
{
    QList<qint64> ids;
    const auto sales = ctx.catalog->snapshot();
    for (auto it = sales->cbegin(); it != sales->cend(); ++it)
        if (it->schedule)
            ids.append(it.key());
    return ids;
}

using Job = std::function<AdminOutcome(QSqlDatabase &)>;

/// Runs \a job on a SQL thread; a change (\a action non-empty) runs in one transaction with
/// its audit record, so an action is never done unaudited nor audited undone.
void runAdmin(const std::shared_ptr<const ApiContext> &ctx, QObject *context,
              QHttpServerResponder &&responder, const QString &actor, const QString &action,
              const QString &target, const QJsonObject &detail, Job job)
{
    DeferredAnswer answer(std::move(responder));
    ctx->sql
        ->run([job = std::move(job), actor, action, target, detail](QSqlDatabase &db) {
            if (action.isEmpty())
                return job(db);
            if (!db.transaction())
                return databaseFailed(QStringLiteral("cannot begin: ") + action);
            AdminOutcome outcome = job(db);
            if (outcome.status >= 300) {
                db.rollback();
                return outcome;
            }
            if (const Status audited =
                    catalog::catalogstore::audit(db, actor, action, target, detail);
                !audited) {
                db.rollback();
                return databaseFailed(audited.error());
            }
            if (!db.commit()) {
                db.rollback();
                return databaseFailed(QStringLiteral("cannot commit: ") + action);
            }
            return outcome;
        })
        .then(context,
              [ctx, context, answer, action, target,
               changed = !action.isEmpty()](const AdminOutcome &o) mutable {
                  if (o.status >= 300)
                      return answer.send(errorResponse(StatusCode(o.status), o.code, o.message));
                  const qint64 now = nowMs();
                  if (changed)
                      ctx->catalog->touch(); // reloads begun before this change are dropped
                  if (o.sale && (o.preload >= 0 || o.topUp > 0)) {
                      if (!adminScripts) {
                          qCWarning(lcAdmin) << "no Redis: the stock of" << o.sale->goods.goodsId
                                             << "is not loaded";
                      } else {
                          const qint64 id = o.sale->goods.goodsId;
                          // Announced once Redis has the stock, so instances reading the
                          // sold-out mark on reload read the new one.
                          const auto logged = [id, action, target](const redis::PreloadOutcome &p) {
                              announce(action, target);
                              if (p.kind == redis::PreloadOutcome::Kind::Error)
                                  qCWarning(lcAdmin).noquote()
                                      << "Redis stock of" << id << "failed:" << p.error;
                              else if (p.kind == redis::PreloadOutcome::Kind::AlreadyLive)
                                  qCWarning(lcAdmin) << "Redis stock of" << id << "already live at"
                                                     << p.stock << "(kept; use a top-up to add)";
                              else
                                  qCInfo(lcAdmin) << "Redis stock of" << id << "now" << p.stock;
                          };
                          if (o.preload >= 0)
                              adminScripts->preload(id, o.preload, context, logged);
                          else
                              adminScripts->topUp(id, o.topUp, context, logged);
                      }
                  } else if (changed) {
                      announce(action, target);
                  }
                  if (o.degradation) {
                      // Applied here at once; other instances reload on the announcement.
                      const DegradationInput &d = *o.degradation;
                      if (d.goodsId)
                          ctx->killSwitch->setGoods(*d.goodsId, d.on, d.message);
                      else
                          ctx->killSwitch->setSite(d.on, d.message);
                      answer.send(jsonResponse(degradationJson(*ctx->killSwitch)));
                  } else if (o.sale) {
                      ctx->catalog->upsert(*o.sale);
                      // With the catalog, not at the next reload: until then a live sale
                      // would have no bucket here, and every buy would pass unmetered.
                      ctx->buckets->configure(o.sale->goods.goodsId, o.sale->ratePerSecond,
                                              double(o.sale->burst));
                      readInventories({o.sale->goods.goodsId}, context,
                                      [ctx, answer, sale = *o.sale, now, status = o.status](
                                          const AdminApi::Inventories &inv) mutable {
                                          answer.send(jsonResponse(
                                              AdminApi::saleStatus(*ctx, sale, now, inv).toJson(),
                                              StatusCode(status)));
                                      });
                  } else if (o.listSales) {
                      QList<qint64> ids;
                      for (const SaleRecord &sale : o.sales)
                          ids.append(sale.goods.goodsId);
                      readInventories(ids, context,
                                      [ctx, answer, sales = o.sales,
                                       now](const AdminApi::Inventories &inv) mutable {
                                          adminapi::SaleList list;
                                          for (const SaleRecord &sale : sales)
                                              list.sales.append(
                                                  AdminApi::saleStatus(*ctx, sale, now, inv));
                                          list.serverTime = utc(now);
                                          answer.send(jsonResponse(list.toJson()));
                                      });
                  } else {
                      answer.send(jsonResponse(o.body, StatusCode(o.status)));
                  }
                  if (changed && ctx->refresher)
                      QMetaObject::invokeMethod(ctx->refresher, &catalog::CatalogRefresher::refresh,
                                                Qt::QueuedConnection);
              });
}

} // namespace

adminapi::SaleStatus AdminApi::saleStatus(const ApiContext &ctx, const SaleRecord &sale, qint64 now,
                                          const Inventories &inventories)
{
    const auto inventory = inventories.constFind(sale.goods.goodsId);
    const bool fromRedis = inventory != inventories.cend();
    const qint64 id = sale.goods.goodsId;
    const sale::KillSwitch::Switch site = ctx.killSwitch->site();
    const sale::KillSwitch::Switch own = ctx.killSwitch->goods(id);
    const bool degraded = site.on || own.on;
    const bool soldOut = ctx.catalog->isSoldOut(id);
    adminapi::SaleStatus status;
    status.goodsId = id;
    status.name = sale.goods.name;
    status.priceCents = sale.goods.priceCents;
    status.flashPriceCents = sale.goods.flashPriceCents;
    status.preloadedStock = sale.preloadedStock;
    // Without an answer from Redis, the database's stock stands in for Redis's.
    status.stockLeft = fromRedis ? inventory->stock : sale.databaseStock;
    status.ordersCreated = sale.ordersCreated;
    status.pending = fromRedis ? inventory->pending : 0;
    status.ratePerSecond = sale.ratePerSecond;
    status.burst = sale.burst;
    status.challengeBits = sale.schedule ? sale.schedule->challengeBits : 0;
    status.addressWindowMs = sale.schedule ? sale.schedule->addressWindowMs : 0;
    // The site's, from the admin thread's last reading of the live figures.
    status.acceptedPerSecond = double(lastFigures.site.accepted.value(id));
    status.state =
        degraded ? QStringLiteral("degraded") : sale::phaseName(sale.phaseAt(now, soldOut));
    status.degraded = degraded;
    status.degradedMessage = site.on ? site.message : (own.on ? own.message : QString());
    if (sale.schedule) {
        status.revealAt = utc(sale.schedule->revealAtMs);
        status.startAt = utc(sale.schedule->startAtMs);
        status.endAt = utc(sale.schedule->endAtMs);
    }
    return status;
}

QJsonObject AdminApi::stats(const ApiContext &ctx, const Inventories &inventories,
                            const metrics::SiteFigures &site, bool current)
{
    using metrics::Histogram;
    adminapi::Stats stats;
    // The rates are those of one whole second, the latest every live instance published.
    stats.time = QDateTime::fromMSecsSinceEpoch(
        site.second > 0 ? (site.second + 1) * 1000 : nowMs(), Qt::UTC);
    stats.instances = site.apiInstances;
    stats.workers = site.workerInstances;
    for (int i = 0; i < metrics::outcomeCount; ++i)
        stats.requestsPerSecond.insert(metrics::outcomeName(metrics::Outcome(i)),
                                       double(site.requests[size_t(i)]));
    stats.ordersPerSecond = double(site.orders);
    const auto percentiles = [](const Histogram::Counts &counts) {
        adminapi::Stats::Percentiles p;
        p.count = Histogram::total(counts);
        p.p50 = Histogram::quantile(counts, 0.5);
        p.p99 = Histogram::quantile(counts, 0.99);
        return p;
    };
    stats.buyLatencyMs = percentiles(site.latency);
    stats.orderLagMs = percentiles(site.orderLag);
    if (!current)
        stats.stale.append(QStringLiteral("rates"));
    if (ctx.queueDepth) {
        const amqp::QueueDepthProbe::Reading queue = ctx.queueDepth->latest();
        stats.queueDepth = queue.messages;
        stats.deadLetters = queue.deadLetters;
        // Read every second: older than a few means RabbitMQ is not answering the probe.
        if (queue.atMs == 0 || nowMs() - queue.atMs > 5000)
            stats.stale.append(QStringLiteral("queueDepth"));
    } else {
        stats.stale.append(QStringLiteral("queueDepth"));
    }
    for (const sale::CircuitBreaker *b : {ctx.redisBreaker, ctx.rabbitBreaker, ctx.postgresBreaker})
        stats.breakers.insert(b->name(), sale::CircuitBreaker::stateName(b->state()));

    const auto sales = ctx.catalog->snapshot();
    QList<qint64> ids = sales->keys();
    std::sort(ids.begin(), ids.end());
    for (qint64 id : std::as_const(ids)) {
        const SaleRecord &sale = (*sales)[id];
        const auto inventory = inventories.constFind(id);
        const bool fromRedis = inventory != inventories.cend();
        adminapi::Stats::Sale s;
        s.goodsId = id;
        s.stockLeft = fromRedis ? inventory->stock : sale.databaseStock;
        s.pending = fromRedis ? inventory->pending : 0;
        s.ordersCreated = sale.ordersCreated;
        s.acceptedPerSecond = double(site.accepted.value(id));
        stats.sales.append(s);
    }
    return stats.toJson();
}

void AdminApi::readStats(const std::shared_ptr<const ApiContext> &ctx, QObject *context,
                         qint64 afterSecond,
                         std::function<void(const QList<QJsonObject> &, qint64)> done)
{
    readInventories(
        scheduledIds(*ctx), context,
        [ctx, context, afterSecond, done = std::move(done)](const Inventories &inv) {
            readFigures(*ctx, context,
                        [ctx, inv, afterSecond, done](const metrics::FiguresReader::Reading &r,
                                                      bool current) {
                            const qint64 latest = r.site.second;
                            QList<QJsonObject> list;
                            // Seconds skipped since the last message (timers drift), from the
                            // history every record carries; a few at most.
                            if (current && afterSecond > 0 && latest > afterSecond)
                                for (qint64 s = std::max(afterSecond + 1, latest - 4); s < latest;
                                     ++s)
                                    list.append(stats(*ctx, inv,
                                                      metrics::SiteFigures::sum(r.live, s), true));
                            list.append(stats(*ctx, inv, r.site, current));
                            done(list, latest);
                        });
        });
}

void AdminApi::install(QHttpServer &server) const
{
    const auto ctx = std::make_shared<const ApiContext>(m_context);
    QHttpServer *self = &server;
    using Method = QHttpServerRequest::Method;

    if (!ctx->redisUrl.isEmpty()) {
        Result<std::unique_ptr<redis::Redis>> opened =
            redis::Redis::open(ctx->redisUrl, redis::RedisOptions {}, &server);
        if (opened) {
            adminRedis = opened.value().release();
            adminScripts.emplace(adminRedis, ctx->windowMs);
        } else
            qCWarning(lcAdmin).noquote() << "no Redis for the admin API:" << opened.error();
    }

    // Every admin route checks the token first, whatever the route.
    const auto guarded = [ctx](auto handler) {
        return [ctx, handler](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            if (!authorized(*ctx, request))
                return unauthorized().write(std::move(responder));
            handler(request, std::move(responder));
        };
    };
    const auto guardedWithId = [ctx](auto handler) {
        return [ctx, handler](qint64 goodsId, const QHttpServerRequest &request,
                              QHttpServerResponder &&responder) {
            if (!authorized(*ctx, request))
                return unauthorized().write(std::move(responder));
            handler(goodsId, request, std::move(responder));
        };
    };

    server.route(
        QStringLiteral("/admin/goods"), Method::Post,
        guarded([ctx, self](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            const Decoded<catalog::Goods> goods = decodeGoods(request.body());
            if (!goods)
                return errorResponse(goods.error()).write(std::move(responder));
            const catalog::Goods g = goods.value();
            runAdmin(ctx, self, std::move(responder), actorOf(request),
                     QStringLiteral("goods.create"), g.name, g.toJson(), [g](QSqlDatabase &db) {
                         const Result<catalog::Goods> stored =
                             catalog::catalogstore::insertGoods(db, g);
                         if (!stored)
                             return databaseFailed(stored.error());
                         AdminOutcome o;
                         o.status = 201;
                         o.body = stored->toJson();
                         return o;
                     });
        }));
    server.route(QStringLiteral("/admin/goods"), Method::Get,
                 guarded([ctx, self](const QHttpServerRequest &, QHttpServerResponder &&responder) {
                     runAdmin(ctx, self, std::move(responder), {}, {}, {}, {},
                              [](QSqlDatabase &db) {
                                  const auto sales = catalog::catalogstore::listSales(db);
                                  if (!sales)
                                      return databaseFailed(sales.error());
                                  QJsonArray goods;
                                  for (const SaleRecord &s : sales.value())
                                      goods.append(s.goods.toJson());
                                  AdminOutcome o;
                                  o.body = {{QStringLiteral("goods"), goods}};
                                  return o;
                              });
                 }));
    refuseOtherMethods(server, QStringLiteral("/admin/goods"), QStringLiteral("GET, POST"));

    server.route(QStringLiteral("/admin/goods/<arg>"), Method::Get,
                 guardedWithId([ctx, self](qint64 goodsId, const QHttpServerRequest &,
                                           QHttpServerResponder &&responder) {
                     runAdmin(ctx, self, std::move(responder), {}, {}, {}, {},
                              [goodsId](QSqlDatabase &db) {
                                  const auto sale = catalog::catalogstore::findSale(db, goodsId);
                                  if (!sale)
                                      return databaseFailed(sale.error());
                                  if (!sale.value())
                                      return noGoods(goodsId);
                                  AdminOutcome o;
                                  o.body = sale.value()->goods.toJson();
                                  return o;
                              });
                 }));
    server.route(QStringLiteral("/admin/goods/<arg>"), Method::Put,
                 guardedWithId([ctx, self](qint64 goodsId, const QHttpServerRequest &request,
                                           QHttpServerResponder &&responder) {
                     const Decoded<catalog::Goods> goods = decodeGoods(request.body());
                     if (!goods)
                         return errorResponse(goods.error()).write(std::move(responder));
                     const catalog::Goods g = goods.value();
                     runAdmin(ctx, self, std::move(responder), actorOf(request),
                              QStringLiteral("goods.update"), QString::number(goodsId), g.toJson(),
                              [g, goodsId](QSqlDatabase &db) {
                                  const auto stored =
                                      catalog::catalogstore::updateGoods(db, goodsId, g);
                                  if (!stored)
                                      return databaseFailed(stored.error());
                                  if (!stored.value())
                                      return noGoods(goodsId);
                                  AdminOutcome o;
                                  o.body = stored.value()->toJson();
                                  return o;
                              });
                 }));
    refuseOtherMethods(server, QStringLiteral("/admin/goods/<arg>"), QStringLiteral("GET, PUT"));

    server.route(QStringLiteral("/admin/sales"), Method::Get,
                 guarded([ctx, self](const QHttpServerRequest &, QHttpServerResponder &&responder) {
                     runAdmin(ctx, self, std::move(responder), {}, {}, {}, {},
                              [](QSqlDatabase &db) {
                                  const auto sales = catalog::catalogstore::listSales(db);
                                  if (!sales)
                                      return databaseFailed(sales.error());
                                  AdminOutcome o;
                                  o.sales = sales.value();
                                  o.listSales = true;
                                  return o;
                              });
                 }));
    refuseOtherMethods(server, QStringLiteral("/admin/sales"), QStringLiteral("GET"));

    server.route(
        QStringLiteral("/admin/sales/<arg>"), Method::Get,
        guardedWithId([ctx, self](qint64 goodsId, const QHttpServerRequest &,
                                  QHttpServerResponder &&responder) {
            runAdmin(ctx, self, std::move(responder), {}, {}, {}, {}, [goodsId](QSqlDatabase &db) {
                return fromSale(catalog::catalogstore::findSale(db, goodsId), goodsId);
            });
        }));
    server.route(
        QStringLiteral("/admin/sales/<arg>"), Method::Put,
        guardedWithId([ctx, self](qint64 goodsId, const QHttpServerRequest &request,
                                  QHttpServerResponder &&responder) {
            const Decoded<sale::SaleSchedule> schedule = decodeSaleSchedule(request.body());
            if (!schedule)
                return errorResponse(schedule.error()).write(std::move(responder));
            const sale::SaleSchedule s = schedule.value();
            runAdmin(ctx, self, std::move(responder), actorOf(request),
                     QStringLiteral("sale.schedule"), QString::number(goodsId), scheduleJson(s),
                     [s, goodsId](QSqlDatabase &db) {
                         const auto before = catalog::catalogstore::findSale(db, goodsId);
                         if (!before || !before.value())
                             return fromSale(before, goodsId);
                         // What may still change depends on where the sale stands: a live
                         // sale keeps its reveal, start and stock (docs/api.md).
                         const qint64 now = nowMs();
                         const SaleEditRules rules = before.value()->editRules(now);
                         const QStringList faults =
                             rules.faults({s.revealAtMs, s.startAtMs, s.endAtMs, s.stock});
                         if (!faults.isEmpty())
                             return failed(409, QStringLiteral("locked"),
                                           QStringLiteral("Sale %1 is %2: %3.")
                                               .arg(goodsId)
                                               .arg(SaleEditRules::stageName(rules.stage()),
                                                    faults.join(QStringLiteral("; "))));
                         const bool replaceStock = !rules.stockLocked();
                         AdminOutcome o = fromSale(
                             catalog::catalogstore::scheduleSale(db, goodsId, s, now, replaceStock),
                             goodsId);
                         o.preload = replaceStock ? s.stock : -1;
                         return o;
                     });
        }));
    refuseOtherMethods(server, QStringLiteral("/admin/sales/<arg>"), QStringLiteral("GET, PUT"));

    server.route(QStringLiteral("/admin/sales/<arg>/stock"), Method::Post,
                 guardedWithId([ctx, self](qint64 goodsId, const QHttpServerRequest &request,
                                           QHttpServerResponder &&responder) {
                     const Decoded<StockTopUp> topUp = decodeStockTopUp(request.body());
                     if (!topUp)
                         return errorResponse(topUp.error()).write(std::move(responder));
                     const qint64 add = topUp->add;
                     runAdmin(ctx, self, std::move(responder), actorOf(request),
                              QStringLiteral("sale.stock"), QString::number(goodsId),
                              {{QStringLiteral("add"), add}}, [add, goodsId](QSqlDatabase &db) {
                                  const auto before = catalog::catalogstore::findSale(db, goodsId);
                                  if (before && before.value() && !before.value()->schedule)
                                      return failed(
                                          409, QStringLiteral("not_scheduled"),
                                          QStringLiteral("Schedule the sale before adding stock."));
                                  AdminOutcome o = fromSale(
                                      catalog::catalogstore::addStock(db, goodsId, add), goodsId);
                                  o.topUp = add;
                                  return o;
                              });
                 }));
    refuseOtherMethods(server, QStringLiteral("/admin/sales/<arg>/stock"), QStringLiteral("POST"));

    server.route(QStringLiteral("/admin/sales/<arg>/rate"), Method::Put,
                 guardedWithId([ctx, self](qint64 goodsId, const QHttpServerRequest &request,
                                           QHttpServerResponder &&responder) {
                     const Decoded<RateInput> rate = decodeRate(request.body());
                     if (!rate)
                         return errorResponse(rate.error()).write(std::move(responder));
                     const RateInput r = rate.value();
                     runAdmin(ctx, self, std::move(responder), actorOf(request),
                              QStringLiteral("sale.rate"), QString::number(goodsId),
                              {{QStringLiteral("ratePerSecond"), r.ratePerSecond},
                               {QStringLiteral("burst"), r.burst}},
                              [r, goodsId](QSqlDatabase &db) {
                                  return fromSale(catalog::catalogstore::setRate(
                                                      db, goodsId, r.ratePerSecond, r.burst),
                                                  goodsId);
                              });
                 }));
    refuseOtherMethods(server, QStringLiteral("/admin/sales/<arg>/rate"), QStringLiteral("PUT"));

    server.route(QStringLiteral("/admin/degradation"), Method::Get,
                 guarded([ctx](const QHttpServerRequest &, QHttpServerResponder &&responder) {
                     jsonResponse(degradationJson(*ctx->killSwitch)).write(std::move(responder));
                 }));
    server.route(
        QStringLiteral("/admin/degradation"), Method::Put,
        guarded([ctx, self](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            const Decoded<DegradationInput> input = decodeDegradation(request.body());
            if (!input)
                return errorResponse(input.error()).write(std::move(responder));
            const DegradationInput d = input.value();
            const QString target = d.goodsId ? QString::number(*d.goodsId) : QStringLiteral("site");
            runAdmin(ctx, self, std::move(responder), actorOf(request),
                     QStringLiteral("degradation.set"), target,
                     {{QStringLiteral("on"), d.on}, {QStringLiteral("message"), d.message}},
                     [d](QSqlDatabase &db) {
                         if (d.goodsId) {
                             const auto sale = catalog::catalogstore::findSale(db, *d.goodsId);
                             if (!sale)
                                 return databaseFailed(sale.error());
                             if (!sale.value())
                                 return noGoods(*d.goodsId);
                         }
                         if (const Status s = catalog::catalogstore::setDegradation(
                                 db, d.goodsId, d.on, d.message);
                             !s)
                             return databaseFailed(s.error());
                         AdminOutcome o;
                         o.degradation = d; // applied once committed
                         return o;
                     });
        }));
    refuseOtherMethods(server, QStringLiteral("/admin/degradation"), QStringLiteral("GET, PUT"));

    server.route(QStringLiteral("/admin/stats"), Method::Get,
                 guarded([ctx, self](const QHttpServerRequest &, QHttpServerResponder &&responder) {
                     DeferredAnswer answer(std::move(responder));
                     readStats(ctx, self, 0,
                               [answer](const QList<QJsonObject> &json, qint64) mutable {
                                   answer.send(jsonResponse(json.constLast()));
                               });
                 }));
    refuseOtherMethods(server, QStringLiteral("/admin/stats"), QStringLiteral("GET"));

    // /admin/live: Qt 6.4 upgrades a WebSocket request only when a route handled it and
    // wrote nothing, so the route stays silent for upgrades; the token is then checked on
    // the new socket (Bearer header or ?token=) and a wrong one closes it at once.
    server.route(QStringLiteral("/admin/live"), Method::Get,
                 [ctx](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                     if (request.value("upgrade").compare("websocket", Qt::CaseInsensitive) == 0)
                         return;
                     if (!authorized(*ctx, request))
                         return unauthorized().write(std::move(responder));
                     errorResponse(StatusCode::UpgradeRequired, QStringLiteral("upgrade_required"),
                                   QStringLiteral("Open /admin/live as a WebSocket."))
                         .write(std::move(responder));
                 });
    auto *timer = new QTimer(&server);
    timer->setInterval(500);
    auto clients = std::make_shared<QList<QWebSocket *>>();
    struct Sent
    {
        qint64 second = 0; ///< the last second the feed sent
        qint64 atMs = 0; ///< when
    };
    auto lastSent = std::make_shared<Sent>();
    QObject::connect(
        &server, &QHttpServer::newWebSocketConnection, &server, [ctx, self, clients, timer] {
            while (self->hasPendingWebSocketConnections()) {
                QWebSocket *socket = self->nextPendingWebSocketConnection().release();
                socket->setParent(self);
                const QUrl url = socket->requestUrl();
                QByteArray given = socket->request().rawHeader("Authorization");
                given = given.startsWith("Bearer ")
                    ? given.mid(7).trimmed()
                    : QUrlQuery(url).queryItemValue(QStringLiteral("token")).toUtf8();
                if (url.path() != u"/admin/live" || !tokenMatches(ctx->adminToken, given)) {
                    qCInfo(lcAdmin) << "refusing a live connection to" << url.path();
                    socket->close(QWebSocketProtocol::CloseCodePolicyViolated,
                                  QStringLiteral("unauthorized"));
                    socket->deleteLater();
                    continue;
                }
                clients->append(socket);
                QObject::connect(socket, &QWebSocket::disconnected, socket, [clients, socket] {
                    clients->removeAll(socket);
                    socket->deleteLater();
                });
                readStats(ctx, socket, 0, [socket](const QList<QJsonObject> &json, qint64) {
                    socket->sendTextMessage(QString::fromUtf8(
                        QJsonDocument(json.constLast()).toJson(QJsonDocument::Compact)));
                });
                if (!timer->isActive())
                    timer->start();
            }
        });
    QObject::connect(timer, &QTimer::timeout, &server, [ctx, self, clients, timer, lastSent] {
        if (clients->isEmpty())
            return timer->stop();
        // Each second once, in order: the feed polls twice a second and sends what is new.
        readStats(ctx, self, lastSent->second,
                  [clients, lastSent](const QList<QJsonObject> &json, qint64 latest) {
                      // Nothing new: the same again once a second all the same (stale
                      // figures while Redis is down, the breakers and stock still current).
                      if (latest <= lastSent->second && nowMs() - lastSent->atMs < 1000)
                          return;
                      lastSent->second = std::max(lastSent->second, latest);
                      lastSent->atMs = nowMs();
                      for (const QJsonObject &stats : json) {
                          const QString message = QString::fromUtf8(
                              QJsonDocument(stats).toJson(QJsonDocument::Compact));
                          for (QWebSocket *socket : std::as_const(*clients))
                              socket->sendTextMessage(message);
                      }
                  });
    });

    installMissingHandler(server);
}

} // namespace flashsale::http
