#include "goods.h"

#include "jsonfields.h"

namespace flashsale::adminapi {

Result<Goods> Goods::fromJson(const QJsonObject &json)
{
    JsonFields fields(json, QStringLiteral("Goods"));
    Goods goods;
    goods.goodsId = fields.integer(QStringLiteral("goodsId"));
    goods.name = fields.string(QStringLiteral("name"));
    goods.description = fields.string(QStringLiteral("description"), true);
    goods.image = fields.string(QStringLiteral("image"), true);
    goods.priceCents = fields.integer(QStringLiteral("priceCents"));
    goods.flashPriceCents = fields.integer(QStringLiteral("flashPriceCents"));
    if (!fields.ok())
        return Result<Goods>::failure(fields.error());
    return goods;
}

QJsonObject Goods::toJson() const
{
    QJsonObject json = toRequestJson();
    json.insert(QStringLiteral("goodsId"), goodsId);
    return json;
}

QJsonObject Goods::toRequestJson() const
{
    return {
        {QStringLiteral("name"), name},
        {QStringLiteral("description"), description},
        {QStringLiteral("image"), image},
        {QStringLiteral("priceCents"), priceCents},
        {QStringLiteral("flashPriceCents"), flashPriceCents},
    };
}

} // namespace flashsale::adminapi
