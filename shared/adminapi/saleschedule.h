#pragma once

#include <QDateTime>
#include <QJsonObject>

namespace flashsale::adminapi {

/// The body of PUT /admin/sales/{goodsId}: preloads stock and sets the sale's times and rate.
struct SaleSchedule
{
    qint64 stock = 0; ///< units loaded into Redis (replaces the sale's stock)
    QDateTime revealAt; ///< when the buy URL becomes available
    QDateTime startAt; ///< sale opens
    QDateTime endAt; ///< sale closes
    double ratePerSecond = 100; ///< token bucket refill rate for buys
    qint64 burst = 100; ///< token bucket size
    int challengeBits = 0; ///< proof-of-work difficulty before the path (0-24; 0: none)
    int addressWindowMs = 0; ///< one buy attempt per client address per this (0: none)

    QJsonObject toJson() const;
};

} // namespace flashsale::adminapi
