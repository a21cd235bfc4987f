#include "goods.h"

namespace flashsale::catalog {

QJsonObject Goods::toJson() const
{
    return {
        {QStringLiteral("goodsId"), goodsId},
        {QStringLiteral("name"), name},
        {QStringLiteral("description"), description},
        {QStringLiteral("image"), image},
        {QStringLiteral("priceCents"), priceCents},
        {QStringLiteral("flashPriceCents"), flashPriceCents},
    };
}

} // namespace flashsale::catalog
