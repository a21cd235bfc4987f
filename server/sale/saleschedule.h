#pragma once

#include "result.h"

#include <QtGlobal>

namespace flashsale::sale {

/// Where a sale stands in time (and stock).
enum class SalePhase {
    Draft, ///< the product exists, no sale is scheduled
    Scheduled, ///< before the reveal time: nothing about the buy path is public
    Revealed, ///< path handed out, buying not open yet
    Live, ///< buying is open
    SoldOut, ///< live, but no stock left
    Ended, ///< past the end time
};

/// The public name of \a phase ("scheduled", "live", ...), as in docs/api.md.
QString phaseName(SalePhase phase);

/// A sale's times and limits as the admin API sets them, in milliseconds since the epoch.
struct SaleSchedule
{
    static constexpr int maxAddressWindowMs = 3'600'000; ///< an hour

    qint64 revealAtMs = 0; ///< the buy path is handed out from here on
    qint64 startAtMs = 0; ///< buying opens
    qint64 endAtMs = 0; ///< buying closes (exclusive)
    qint64 stock = 0; ///< units to sell
    double ratePerSecond = 1000; ///< site-wide token rate for the buy path
    qint64 burst = 100; ///< tokens that may be spent at once
    int challengeBits = 0; ///< proof of work before the path (leading zero bits; 0: none)
    int addressWindowMs = 0; ///< one reserve attempt per client address per this (0: none)

    /// The phase at \a nowMs (ignoring stock; see phaseAt with soldOut).
    SalePhase phaseAt(qint64 nowMs, bool soldOut = false) const;

    /// reveal <= start < end, stock >= 0, rate > 0, burst >= 1; the error names the field.
    Status validate() const;
};

} // namespace flashsale::sale
