#include "invariants.h"

#include "database.h"
#include "databaseurl.h"
#include <QHash>

#include <QSqlQuery>

namespace flashsale::bench {

Result<DatabaseFigures> readDatabaseFigures(const QString &databaseUrl, qint64 goodsId)
{
    using R = Result<DatabaseFigures>;
    const Result<db::DatabaseUrl> url = db::DatabaseUrl::parse(databaseUrl);
    if (!url)
        return R::failure(QStringLiteral("--database-url: ") + url.error());
    const QString connection = QStringLiteral("flashsale-bench-check");
    std::optional<R> result;
    {
        Result<QSqlDatabase> opened = db::openDatabase(url.value(), connection);
        if (!opened)
            return R::failure(opened.error());
        QSqlQuery q(opened.value());
        DatabaseFigures f;
        const QString id = QString::number(goodsId);
        auto scalar = [&](const QString &sql, qint64 *out) {
            if (!q.exec(sql) || !q.next()) {
                result = R::failure(db::describeError(q));
                return false;
            }
            *out = q.value(0).toLongLong();
            return true;
        };
        if (scalar(QStringLiteral("SELECT stock FROM miaosha_goods WHERE goods_id = ") + id,
                   &f.stock)
            && scalar(QStringLiteral("SELECT count(*) FROM miaosha_order WHERE goods_id = ") + id
                          + QStringLiteral(" AND status <> 'cancelled'"),
                      &f.orders)
            && scalar(QStringLiteral("SELECT count(*) FROM (SELECT user_id FROM miaosha_order "
                                     "WHERE goods_id = ")
                          + id + QStringLiteral(" GROUP BY user_id HAVING count(*) > 1) t"),
                      &f.shoppersWithTwoOrders))
            result = f;
    }
    db::closeDatabase(connection);
    return *result;
}

QList<Invariant> InvariantChecker::check(const adminapi::SaleStatus &sale,
                                         const std::vector<Shopper> &shoppers,
                                         const std::optional<DatabaseFigures> &database)
{
    QList<Invariant> out;
    const qint64 orders = database ? database->orders : sale.ordersCreated;

    out.append(
        Invariant {QStringLiteral("orders <= stock"), orders <= sale.preloadedStock,
                   QStringLiteral("%1 orders, %2 preloaded").arg(orders).arg(sale.preloadedStock)});

    qint64 twice = 0;
    qint64 sharedOrderIds = 0;
    QHash<qint64, int> owners;
    for (const Shopper &s : shoppers) {
        if (s.accepted > 1)
            ++twice;
        if (s.orderId > 0 && owners[s.orderId]++ > 0)
            ++sharedOrderIds;
    }
    const qint64 dbTwice = database ? database->shoppersWithTwoOrders : 0;
    out.append(Invariant {
        QStringLiteral("one order per shopper"), twice == 0 && sharedOrderIds == 0 && dbTwice == 0,
        QStringLiteral("%1 shoppers accepted twice, %2 order ids seen by two shoppers%3")
            .arg(twice)
            .arg(sharedOrderIds)
            .arg(database
                     ? QStringLiteral(", %1 users with two orders in the database").arg(dbTwice)
                     : QString())});

    qint64 accepted = 0, created = 0, failed = 0, unresolved = 0;
    for (const Shopper &s : shoppers) {
        if (s.accepted == 0 && s.duplicates == 0)
            continue;
        ++accepted;
        if (s.ending == Ending::Created)
            ++created;
        else if (s.ending == Ending::Failed)
            ++failed;
        else
            ++unresolved;
    }
    out.append(Invariant {QStringLiteral("every 202 became created or failed"), unresolved == 0,
                          QStringLiteral("%1 accepted: %2 created, %3 failed, %4 still queued")
                              .arg(accepted)
                              .arg(created)
                              .arg(failed)
                              .arg(unresolved)});

    const qint64 sum = sale.stockLeft + sale.pending + sale.ordersCreated;
    out.append(Invariant {QStringLiteral("Redis stock + pending + orders = preloaded"),
                          sum == sale.preloadedStock,
                          QStringLiteral("%1 + %2 + %3 = %4, preloaded %5")
                              .arg(sale.stockLeft)
                              .arg(sale.pending)
                              .arg(sale.ordersCreated)
                              .arg(sum)
                              .arg(sale.preloadedStock)});

    if (database)
        out.append(Invariant {QStringLiteral("database stock = preloaded - orders"),
                              database->stock == sale.preloadedStock - database->orders,
                              QStringLiteral("stock %1, preloaded %2 - %3 orders = %4")
                                  .arg(database->stock)
                                  .arg(sale.preloadedStock)
                                  .arg(database->orders)
                                  .arg(sale.preloadedStock - database->orders)});
    return out;
}

bool InvariantChecker::allHold(const QList<Invariant> &invariants)
{
    for (const Invariant &i : invariants)
        if (!i.holds)
            return false;
    return true;
}

} // namespace flashsale::bench
