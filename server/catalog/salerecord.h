#pragma once

#include "goods.h"
#include "pathsigner.h"
#include "saleeditrules.h"
#include "saleschedule.h"

#include <optional>

namespace flashsale::catalog {

/// A product with its sale settings, as stored in `goods` + `miaosha_goods`.
struct SaleRecord
{
    Goods goods;
    std::optional<sale::SaleSchedule> schedule; ///< empty: a draft, no sale scheduled
    double ratePerSecond = 1000; ///< site-wide tokens per second for the buy path
    qint64 burst = 100;
    qint64 databaseStock = 0; ///< miaosha_goods.stock: what orders may still take
    qint64 preloadedStock = 0; ///< all stock ever put on sale (initial + top-ups)
    qint64 ordersCreated = 0; ///< orders not cancelled
    QByteArray pathSecret; ///< the sale's secret for the buy path
    sale::PathSigner pathSigner; ///< keyed with pathSecret once, for every buy's path check

    /// The phase at \a nowMs (Draft without a schedule).
    sale::SalePhase phaseAt(qint64 nowMs, bool soldOut) const;

    /// What a PUT /admin/sales/{goodsId} may still change at \a nowMs.
    SaleEditRules editRules(qint64 nowMs) const;

    /// `Sale` of docs/api.md, for shoppers (never the secret).
    QJsonObject toShopperJson(qint64 nowMs, bool soldOut) const;
};

} // namespace flashsale::catalog
