#pragma once

#include "result.h"
#include "salestatus.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>

namespace flashsale::adminapi {

/// The answer of GET /admin/sales: every product's sale and the server's clock.
struct SaleList
{
    QList<SaleStatus> sales; ///< in the server's order (by goodsId)
    QDateTime serverTime; ///< the server's time when it answered (for the clock offset)

    /// Parses a `{sales: [SaleStatus], serverTime}` object; the error names the first faulty
    /// sale, or says `sales` is missing.
    static Result<SaleList> fromJson(const QJsonObject &json);
    QJsonObject toJson() const;
};

} // namespace flashsale::adminapi
