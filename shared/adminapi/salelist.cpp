#include "salelist.h"

#include "jsonfields.h"

#include <QJsonArray>

namespace flashsale::adminapi {

Result<SaleList> SaleList::fromJson(const QJsonObject &json)
{
    JsonFields fields(json, QStringLiteral("SaleList"));
    SaleList list;
    const QJsonArray sales = fields.array(QStringLiteral("sales"));
    list.serverTime = fields.time(QStringLiteral("serverTime"), true);
    if (!fields.ok())
        return Result<SaleList>::failure(fields.error());
    for (const QJsonValue &value : sales) {
        Result<SaleStatus> sale = SaleStatus::fromJson(value.toObject());
        if (!sale)
            return Result<SaleList>::failure(sale.error());
        list.sales.append(sale.value());
    }
    return list;
}

QJsonObject SaleList::toJson() const
{
    QJsonArray sales;
    for (const SaleStatus &sale : this->sales)
        sales.append(sale.toJson());
    return {{QStringLiteral("sales"), sales},
            {QStringLiteral("serverTime"), formatTime(serverTime)}};
}

} // namespace flashsale::adminapi
