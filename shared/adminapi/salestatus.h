#pragma once

#include "result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace flashsale::adminapi {

/// One product's sale as the admin API reports it (`SaleStatus` in docs/api.md).
struct SaleStatus
{
    qint64 goodsId = 0; ///< the product
    QString name; ///< product name
    qint64 priceCents = 0; ///< normal price
    qint64 flashPriceCents = 0; ///< sale price
    qint64 preloadedStock = 0; ///< stock loaded into Redis for the sale (top-ups included)
    qint64 stockLeft = 0; ///< Redis stock now
    qint64 ordersCreated = 0; ///< orders written to PostgreSQL
    qint64 pending = 0; ///< reservations not yet orders
    QDateTime revealAt; ///< when the buy URL is revealed; invalid when no sale is scheduled
    QDateTime startAt; ///< sale opens; invalid when no sale is scheduled
    QDateTime endAt; ///< sale closes; invalid when no sale is scheduled
    double ratePerSecond = 0; ///< token bucket refill rate for buys
    qint64 burst = 0; ///< token bucket size
    int challengeBits = 0; ///< proof-of-work difficulty before the path (0: none)
    int addressWindowMs = 0; ///< the sale's per-address buy window (0: none)
    double acceptedPerSecond = 0; ///< buys accepted per second, observed
    QString state; ///< draft, scheduled, revealed, live, sold_out, ended or degraded
    bool degraded = false; ///< kill switch on for this product (or the site)
    QString degradedMessage; ///< what shoppers see while degraded

    /// Parses a `SaleStatus` object; the error names every faulty field.
    static Result<SaleStatus> fromJson(const QJsonObject &json);
    QJsonObject toJson() const;

    bool isScheduled() const { return startAt.isValid() && endAt.isValid(); }
};

} // namespace flashsale::adminapi
