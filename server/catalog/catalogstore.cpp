#include "catalogstore.h"

#include "sqlerror.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QVariant>

namespace flashsale::catalog::catalogstore {

namespace {

const QString saleColumns = QStringLiteral(
    "g.id, g.name, g.description, g.image, g.price_cents, m.flash_price_cents, m.stock, "
    "m.preloaded_stock, m.reveal_at, m.start_at, m.end_at, m.rate_per_second, m.burst, "
    "m.path_secret, m.challenge_bits, "
    "(SELECT count(*) FROM miaosha_order o WHERE o.goods_id = g.id AND o.status <> "
    "'cancelled'), m.address_window_ms ");

qint64 ms(const QVariant &v)
{
    return v.toDateTime().toMSecsSinceEpoch();
}

// A null QString binds as SQL NULL; the columns want text.
QString text(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

QDateTime utc(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

SaleRecord readSale(const QSqlQuery &q)
{
    SaleRecord r;
    r.goods = Goods {q.value(0).toLongLong(), q.value(1).toString(),   q.value(2).toString(),
                     q.value(3).toString(),   q.value(4).toLongLong(), q.value(5).toLongLong()};
    r.databaseStock = q.value(6).toLongLong();
    r.preloadedStock = q.value(7).toLongLong();
    r.ratePerSecond = q.value(11).toDouble();
    r.burst = q.value(12).toLongLong();
    if (!q.value(8).isNull()) {
        sale::SaleSchedule s;
        s.revealAtMs = ms(q.value(8));
        s.startAtMs = ms(q.value(9));
        s.endAtMs = ms(q.value(10));
        s.stock = r.preloadedStock;
        s.ratePerSecond = r.ratePerSecond;
        s.burst = r.burst;
        s.challengeBits = q.value(14).toInt();
        s.addressWindowMs = q.value(16).toInt();
        r.schedule = s;
    }
    r.pathSecret = q.value(13).toByteArray();
    r.pathSigner = sale::PathSigner(r.pathSecret);
    r.ordersCreated = q.value(15).toLongLong();
    return r;
}

} // namespace

Result<Goods> insertGoods(QSqlDatabase &db, const Goods &goods)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO goods (name, description, image, price_cents) "
                             "VALUES (?, ?, ?, ?) RETURNING id"));
    q.addBindValue(goods.name);
    q.addBindValue(text(goods.description));
    q.addBindValue(text(goods.image));
    q.addBindValue(goods.priceCents);
    if (!q.exec() || !q.next())
        return Result<Goods>::failure(db::queryFailure(db, q));
    Goods stored = goods;
    stored.goodsId = q.value(0).toLongLong();
    QSqlQuery m(db);
    m.prepare(
        QStringLiteral("INSERT INTO miaosha_goods (goods_id, flash_price_cents) VALUES (?, ?)"));
    m.addBindValue(stored.goodsId);
    m.addBindValue(goods.flashPriceCents);
    if (!m.exec())
        return Result<Goods>::failure(db::queryFailure(db, m));
    return stored;
}

Result<std::optional<Goods>> updateGoods(QSqlDatabase &db, qint64 goodsId, const Goods &goods)
{
    using R = Result<std::optional<Goods>>;
    QSqlQuery q(db);
    q.prepare(QStringLiteral("UPDATE goods SET name = ?, description = ?, image = ?, "
                             "price_cents = ?, updated_at = now() WHERE id = ?"));
    q.addBindValue(goods.name);
    q.addBindValue(text(goods.description));
    q.addBindValue(text(goods.image));
    q.addBindValue(goods.priceCents);
    q.addBindValue(goodsId);
    if (!q.exec())
        return R::failure(db::queryFailure(db, q));
    if (q.numRowsAffected() == 0)
        return R(std::nullopt);
    QSqlQuery m(db);
    m.prepare(QStringLiteral("UPDATE miaosha_goods SET flash_price_cents = ? WHERE goods_id = ?"));
    m.addBindValue(goods.flashPriceCents);
    m.addBindValue(goodsId);
    if (!m.exec())
        return R::failure(db::queryFailure(db, m));
    Goods stored = goods;
    stored.goodsId = goodsId;
    return R(stored);
}

Result<QList<SaleRecord>> listSales(QSqlDatabase &db)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT ") + saleColumns
                + QStringLiteral("FROM goods g JOIN miaosha_goods m ON m.goods_id = g.id "
                                 "ORDER BY g.id")))
        return Result<QList<SaleRecord>>::failure(db::queryFailure(db, q));
    QList<SaleRecord> sales;
    while (q.next())
        sales.append(readSale(q));
    return sales;
}

Result<std::optional<SaleRecord>> findSale(QSqlDatabase &db, qint64 goodsId)
{
    using R = Result<std::optional<SaleRecord>>;
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT ") + saleColumns
              + QStringLiteral("FROM goods g JOIN miaosha_goods m ON m.goods_id = g.id "
                               "WHERE g.id = ?"));
    q.addBindValue(goodsId);
    if (!q.exec())
        return R::failure(db::queryFailure(db, q));
    if (!q.next())
        return R(std::nullopt);
    return R(readSale(q));
}

Result<std::optional<SaleRecord>> scheduleSale(QSqlDatabase &db, qint64 goodsId,
                                               const sale::SaleSchedule &schedule, qint64 nowMs,
                                               bool replaceStock)
{
    using R = Result<std::optional<SaleRecord>>;
    const R current = findSale(db, goodsId);
    if (!current || !current.value())
        return current;
    const SaleRecord &before = **current;
    QByteArray secret = before.pathSecret;
    if (secret.isEmpty() || (before.schedule && before.schedule->endAtMs <= nowMs))
        secret = sale::PathSigner::generateSecret();
    QSqlQuery q(db);
    if (replaceStock) {
        q.prepare(QStringLiteral(
            "UPDATE miaosha_goods SET stock = ?, preloaded_stock = ?, reveal_at = ?, "
            "start_at = ?, end_at = ?, rate_per_second = ?, burst = ?, path_secret = ?, "
            "challenge_bits = ?, address_window_ms = ?, version = version + 1 "
            "WHERE goods_id = ?"));
        q.addBindValue(schedule.stock);
        q.addBindValue(schedule.stock);
    } else {
        // Orders are taking units from this stock: it is only ever topped up.
        q.prepare(
            QStringLiteral("UPDATE miaosha_goods SET reveal_at = ?, start_at = ?, end_at = ?, "
                           "rate_per_second = ?, burst = ?, path_secret = ?, challenge_bits = ?, "
                           "address_window_ms = ?, version = version + 1 WHERE goods_id = ?"));
    }
    q.addBindValue(utc(schedule.revealAtMs));
    q.addBindValue(utc(schedule.startAtMs));
    q.addBindValue(utc(schedule.endAtMs));
    q.addBindValue(schedule.ratePerSecond);
    q.addBindValue(schedule.burst);
    q.addBindValue(secret);
    q.addBindValue(schedule.challengeBits);
    q.addBindValue(schedule.addressWindowMs);
    q.addBindValue(goodsId);
    if (!q.exec())
        return R::failure(db::queryFailure(db, q));
    return findSale(db, goodsId);
}

Result<std::optional<SaleRecord>> addStock(QSqlDatabase &db, qint64 goodsId, qint64 add)
{
    using R = Result<std::optional<SaleRecord>>;
    QSqlQuery q(db);
    q.prepare(QStringLiteral("UPDATE miaosha_goods SET stock = stock + ?, "
                             "preloaded_stock = preloaded_stock + ?, version = version + 1 "
                             "WHERE goods_id = ?"));
    q.addBindValue(add);
    q.addBindValue(add);
    q.addBindValue(goodsId);
    if (!q.exec())
        return R::failure(db::queryFailure(db, q));
    if (q.numRowsAffected() == 0)
        return R(std::nullopt);
    return findSale(db, goodsId);
}

Result<std::optional<SaleRecord>> setRate(QSqlDatabase &db, qint64 goodsId, double ratePerSecond,
                                          qint64 burst)
{
    using R = Result<std::optional<SaleRecord>>;
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "UPDATE miaosha_goods SET rate_per_second = ?, burst = ? WHERE goods_id = ?"));
    q.addBindValue(ratePerSecond);
    q.addBindValue(burst);
    q.addBindValue(goodsId);
    if (!q.exec())
        return R::failure(db::queryFailure(db, q));
    if (q.numRowsAffected() == 0)
        return R(std::nullopt);
    return findSale(db, goodsId);
}

Status setDegradation(QSqlDatabase &db, std::optional<qint64> goodsId, bool on,
                      const QString &message)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO degradation (scope, is_on, message) VALUES (?, ?, ?) "
                             "ON CONFLICT (scope) DO UPDATE SET is_on = excluded.is_on, "
                             "message = excluded.message, updated_at = now()"));
    q.addBindValue(goodsId ? QString::number(*goodsId) : QStringLiteral("site"));
    q.addBindValue(on);
    q.addBindValue(text(message));
    if (!q.exec())
        return Status::failure(db::queryFailure(db, q));
    return Status::success();
}

Result<Switches> loadDegradation(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT scope, is_on, message FROM degradation")))
        return Result<Switches>::failure(db::queryFailure(db, q));
    Switches switches;
    while (q.next()) {
        const QString scope = q.value(0).toString();
        const sale::KillSwitch::Switch s {q.value(1).toBool(), q.value(2).toString()};
        if (scope == u"site")
            switches.site = s;
        else
            switches.goods.insert(scope.toLongLong(), s);
    }
    return switches;
}

Status audit(QSqlDatabase &db, const QString &actor, const QString &action, const QString &target,
             const QJsonObject &detail)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral(
        "INSERT INTO admin_audit (actor, action, target, detail) VALUES (?, ?, ?, ?::jsonb)"));
    q.addBindValue(actor);
    q.addBindValue(action);
    q.addBindValue(target);
    q.addBindValue(QString::fromUtf8(QJsonDocument(detail).toJson(QJsonDocument::Compact)));
    if (!q.exec())
        return Status::failure(db::queryFailure(db, q));
    return Status::success();
}

} // namespace flashsale::catalog::catalogstore
