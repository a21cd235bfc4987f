#include "degradation.h"

#include "jsonfields.h"

#include <QJsonArray>

namespace flashsale::adminapi {

Result<Degradation> Degradation::fromJson(const QJsonObject &json)
{
    JsonFields fields(json, QStringLiteral("Degradation"));
    Degradation d;
    JsonFields site(fields.object(QStringLiteral("site")), QStringLiteral("site"));
    d.site.on = site.boolean(QStringLiteral("on"));
    d.site.message = site.string(QStringLiteral("message"), true);
    if (!site.ok())
        fields.fail(site.error());
    const QJsonArray goods = fields.array(QStringLiteral("goods"));
    for (const QJsonValue &value : goods) {
        JsonFields entry(value.toObject(), QStringLiteral("goods[]"));
        Switch s;
        s.goodsId = entry.integer(QStringLiteral("goodsId"));
        s.on = entry.boolean(QStringLiteral("on"));
        s.message = entry.string(QStringLiteral("message"), true);
        if (!entry.ok())
            fields.fail(entry.error());
        d.goods.append(s);
    }
    if (!fields.ok())
        return Result<Degradation>::failure(fields.error());
    return d;
}

QJsonObject Degradation::toJson() const
{
    QJsonArray goodsJson;
    for (const Switch &s : goods)
        goodsJson.append(QJsonObject {{QStringLiteral("goodsId"), s.goodsId},
                                      {QStringLiteral("on"), s.on},
                                      {QStringLiteral("message"), s.message}});
    return {
        {QStringLiteral("site"),
         QJsonObject {{QStringLiteral("on"), site.on}, {QStringLiteral("message"), site.message}}},
        {QStringLiteral("goods"), goodsJson},
    };
}

Degradation::Switch Degradation::forGoods(qint64 goodsId) const
{
    for (const Switch &s : goods) {
        if (s.goodsId == goodsId)
            return s;
    }
    Switch off;
    off.goodsId = goodsId;
    return off;
}

} // namespace flashsale::adminapi
