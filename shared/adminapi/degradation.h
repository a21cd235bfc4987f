#pragma once

#include "result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace flashsale::adminapi {

/// The kill switches: one for the whole site, one per product (`Degradation` in docs/api.md).
struct Degradation
{
    /// One switch.
    struct Switch
    {
        qint64 goodsId = 0; ///< the product; unused for the site switch
        bool on = false; ///< buys answer 503 while on
        QString message; ///< what shoppers see while on
    };

    Switch site; ///< the whole site
    QList<Switch> goods; ///< per product; products not listed are off

    static Result<Degradation> fromJson(const QJsonObject &json);
    QJsonObject toJson() const;

    /// The switch of \a goodsId (off with an empty message when not listed).
    Switch forGoods(qint64 goodsId) const;
};

} // namespace flashsale::adminapi
