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
