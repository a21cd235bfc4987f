#include "salestatus.h"

#include "jsonfields.h"

namespace flashsale::adminapi {

Result<SaleStatus> SaleStatus::fromJson(const QJsonObject &json)
{
    JsonFields fields(json, QStringLiteral("SaleStatus"));
    SaleStatus s;
    s.goodsId = fields.integer(QStringLiteral("goodsId"));
    s.name = fields.string(QStringLiteral("name"));
    s.priceCents = fields.integer(QStringLiteral("priceCents"));
    s.flashPriceCents = fields.integer(QStringLiteral("flashPriceCents"));
    s.preloadedStock = fields.integer(QStringLiteral("preloadedStock"));
    s.stockLeft = fields.integer(QStringLiteral("stockLeft"));
    s.ordersCreated = fields.integer(QStringLiteral("ordersCreated"));
    s.pending = fields.integer(QStringLiteral("pending"));
    s.revealAt = fields.time(QStringLiteral("revealAt"), true);
    s.startAt = fields.time(QStringLiteral("startAt"), true);
    s.endAt = fields.time(QStringLiteral("endAt"), true);
    s.ratePerSecond = fields.number(QStringLiteral("ratePerSecond"));
    s.burst = fields.integer(QStringLiteral("burst"));
    s.challengeBits = int(fields.integer(QStringLiteral("challengeBits")));
    s.addressWindowMs = int(fields.integer(QStringLiteral("addressWindowMs")));
    s.acceptedPerSecond = fields.number(QStringLiteral("acceptedPerSecond"));
    s.state = fields.string(QStringLiteral("state"));
    s.degraded = fields.boolean(QStringLiteral("degraded"));
    s.degradedMessage = fields.string(QStringLiteral("degradedMessage"), true);
    if (!fields.ok())
        return Result<SaleStatus>::failure(fields.error());
    return s;
}

QJsonObject SaleStatus::toJson() const
{
    QJsonObject json {
        {QStringLiteral("goodsId"), goodsId},
        {QStringLiteral("name"), name},
        {QStringLiteral("priceCents"), priceCents},
        {QStringLiteral("flashPriceCents"), flashPriceCents},
        {QStringLiteral("preloadedStock"), preloadedStock},
        {QStringLiteral("stockLeft"), stockLeft},
        {QStringLiteral("ordersCreated"), ordersCreated},
        {QStringLiteral("pending"), pending},
        {QStringLiteral("ratePerSecond"), ratePerSecond},
        {QStringLiteral("burst"), burst},
        {QStringLiteral("challengeBits"), challengeBits},
        {QStringLiteral("addressWindowMs"), addressWindowMs},
        {QStringLiteral("acceptedPerSecond"), acceptedPerSecond},
        {QStringLiteral("state"), state},
        {QStringLiteral("degraded"), degraded},
        {QStringLiteral("degradedMessage"), degradedMessage},
    };
    if (revealAt.isValid())
        json.insert(QStringLiteral("revealAt"), formatTime(revealAt));
    if (startAt.isValid())
        json.insert(QStringLiteral("startAt"), formatTime(startAt));
    if (endAt.isValid())
        json.insert(QStringLiteral("endAt"), formatTime(endAt));
    return json;
}

} // namespace flashsale::adminapi
