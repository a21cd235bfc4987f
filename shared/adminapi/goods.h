#pragma once

#include "result.h"

#include <QJsonObject>
#include <QString>

namespace flashsale::adminapi {

/// A product's details as the admin API sends them (`Goods` in docs/api.md).
struct Goods
{
    qint64 goodsId = 0; ///< 0 for a product not created yet
    QString name; ///< shown on the static page
    QString description; ///< shown on the static page
    QString image; ///< image URL for the static page
    qint64 priceCents = 0; ///< normal price
    qint64 flashPriceCents = 0; ///< price during the sale

    /// Parses a `Goods` object; the error names every faulty field.
    static Result<Goods> fromJson(const QJsonObject &json);
    /// The whole object, goodsId included.
    QJsonObject toJson() const;
    /// The body of POST and PUT /admin/goods (no goodsId).
    QJsonObject toRequestJson() const;

    bool operator==(const Goods &) const = default;
};

} // namespace flashsale::adminapi
