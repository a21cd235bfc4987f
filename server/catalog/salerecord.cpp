#include "salerecord.h"

#include <QDateTime>

namespace flashsale::catalog {

namespace {
QJsonValue time(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}
} // namespace

sale::SalePhase SaleRecord::phaseAt(qint64 nowMs, bool soldOut) const
{
    if (!schedule)
        return sale::SalePhase::Draft;
    return schedule->phaseAt(nowMs, soldOut);
}

SaleEditRules SaleRecord::editRules(qint64 nowMs) const
{
    SaleEditRules::Current current;
    current.scheduled = schedule.has_value();
    if (schedule) {
        current.revealAtMs = schedule->revealAtMs;
        current.startAtMs = schedule->startAtMs;
        current.endAtMs = schedule->endAtMs;
    }
    current.preloadedStock = preloadedStock;
    // Orders take units from the database's stock; a unit still reserved in Redis is
    // guarded by the preload script, which never replaces stock it has handed out.
    current.stockTaken = ordersCreated > 0 || databaseStock != preloadedStock;
    return SaleEditRules(current, nowMs);
}

QJsonObject SaleRecord::toShopperJson(qint64 nowMs, bool soldOut) const
{
    QJsonObject json = goods.toJson();
    json.insert(QStringLiteral("state"), sale::phaseName(phaseAt(nowMs, soldOut)));
    json.insert(QStringLiteral("serverTime"), time(nowMs));
    if (schedule) {
        json.insert(QStringLiteral("revealAt"), time(schedule->revealAtMs));
        json.insert(QStringLiteral("startAt"), time(schedule->startAtMs));
        json.insert(QStringLiteral("endAt"), time(schedule->endAtMs));
        json.insert(QStringLiteral("challengeBits"), schedule->challengeBits);
    }
    return json;
}

} // namespace flashsale::catalog
