#pragma once

#include <QJsonObject>
#include <QString>

namespace flashsale::catalog {

/// A product as the admin API shows it (`Goods` of docs/api.md).
struct Goods
{
    qint64 goodsId = 0; ///< 0 until stored
    QString name;
    QString description;
    QString image; ///< image URL
    qint64 priceCents = 0;
    qint64 flashPriceCents = 0;

    QJsonObject toJson() const;
};

} // namespace flashsale::catalog
