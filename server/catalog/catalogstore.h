#pragma once

#include "goods.h"
#include "killswitch.h"
#include "result.h"
#include "salerecord.h"

#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>

#include <optional>

namespace flashsale::catalog {

/// Products, sales, switches and the audit trail in PostgreSQL. Calls block: run them on a
/// db::SqlExecutor thread. Every write is one transaction: nothing is half-written.
namespace catalogstore {

/// Stores new goods (and its draft sale row, which carries the flash price).
Result<Goods> insertGoods(QSqlDatabase &db, const Goods &goods);
/// Replaces the details of goods \a goodsId; empty when there is no such goods.
Result<std::optional<Goods>> updateGoods(QSqlDatabase &db, qint64 goodsId, const Goods &goods);

/// Every product with its sale, ordered by id.
Result<QList<SaleRecord>> listSales(QSqlDatabase &db);
/// One product with its sale; empty when there is none.
Result<std::optional<SaleRecord>> findSale(QSqlDatabase &db, qint64 goodsId);

/// Schedules (or reschedules) the sale of \a goodsId: times, rate, and the stock when
/// \a replaceStock (else the stock columns stay: see SaleEditRules). A new secret for the
/// buy path is made unless the sale already has one and has not ended.
Result<std::optional<SaleRecord>> scheduleSale(QSqlDatabase &db, qint64 goodsId,
                                               const sale::SaleSchedule &schedule, qint64 nowMs,
                                               bool replaceStock);
/// Adds \a add units to the stock of a scheduled sale.
Result<std::optional<SaleRecord>> addStock(QSqlDatabase &db, qint64 goodsId, qint64 add);
Result<std::optional<SaleRecord>> setRate(QSqlDatabase &db, qint64 goodsId, double ratePerSecond,
                                          qint64 burst);

/// Turns a switch (the site's when \a goodsId is empty) on or off.
Status setDegradation(QSqlDatabase &db, std::optional<qint64> goodsId, bool on,
                      const QString &message);
/// Every switch, to load into a KillSwitch.
using Switches = sale::KillSwitch::Switches;
Result<Switches> loadDegradation(QSqlDatabase &db);

/// Records an admin action: who (\a actor), what (\a action on \a target) and the details.
Status audit(QSqlDatabase &db, const QString &actor, const QString &action, const QString &target,
             const QJsonObject &detail);

} // namespace catalogstore

} // namespace flashsale::catalog
