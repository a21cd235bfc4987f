#pragma once

#include "adminapi/salestatus.h"
#include "shopper.h"

#include <QList>
#include <QString>

#include <optional>
#include <vector>

namespace flashsale::bench {

/// One invariant of a sale, checked.
struct Invariant
{
    QString name; ///< what must hold, as docs and the report name it
    bool holds = false; ///< it does
    QString detail; ///< the figures it was judged on
};

/// The database's side of a sale, read directly (with --database-url).
struct DatabaseFigures
{
    qint64 stock = 0; ///< miaosha_goods.stock
    qint64 orders = 0; ///< miaosha_order rows not cancelled
    qint64 shoppersWithTwoOrders = 0; ///< users with more than one order of the product
};

/// Reads DatabaseFigures of \a goodsId from \a databaseUrl; the error names what failed.
Result<DatabaseFigures> readDatabaseFigures(const QString &databaseUrl, qint64 goodsId);

/// The checks flashsale-bench makes once the sale has settled (DESIGN.md, "Invariants"):
/// over the admin API's SaleStatus, the shoppers' own view and, when given, the database.
class InvariantChecker
{
public:
    static QList<Invariant> check(const adminapi::SaleStatus &sale,
                                  const std::vector<Shopper> &shoppers,
                                  const std::optional<DatabaseFigures> &database);
    /// True when every one of \a invariants holds.
    static bool allHold(const QList<Invariant> &invariants);
};

} // namespace flashsale::bench
