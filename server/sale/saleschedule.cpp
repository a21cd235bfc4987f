#include "saleschedule.h"

#include <cmath>

namespace flashsale::sale {

QString phaseName(SalePhase phase)
{
    switch (phase) {
    case SalePhase::Draft:
        return QStringLiteral("draft");
    case SalePhase::Scheduled:
        return QStringLiteral("scheduled");
    case SalePhase::Revealed:
        return QStringLiteral("revealed");
    case SalePhase::Live:
        return QStringLiteral("live");
    case SalePhase::SoldOut:
        return QStringLiteral("sold_out");
    case SalePhase::Ended:
        return QStringLiteral("ended");
    }
    return {};
}

SalePhase SaleSchedule::phaseAt(qint64 nowMs, bool soldOut) const
{
    if (nowMs >= endAtMs)
        return SalePhase::Ended;
    if (soldOut)
        return SalePhase::SoldOut;
    if (nowMs >= startAtMs)
        return SalePhase::Live;
    if (nowMs >= revealAtMs)
        return SalePhase::Revealed;
    return SalePhase::Scheduled;
}

Status SaleSchedule::validate() const
{
    if (revealAtMs > startAtMs)
        return Status::failure(QStringLiteral("revealAt must not be after startAt"));
    if (startAtMs >= endAtMs)
        return Status::failure(QStringLiteral("startAt must be before endAt"));
    if (stock < 0)
        return Status::failure(QStringLiteral("stock must be 0 or more"));
    if (stock > 1'000'000'000)
        return Status::failure(QStringLiteral("stock must be at most 1000000000"));
    if (!(ratePerSecond > 0) || !std::isfinite(ratePerSecond))
        return Status::failure(QStringLiteral("ratePerSecond must be a number above 0"));
    if (ratePerSecond > 10'000'000)
        return Status::failure(QStringLiteral("ratePerSecond must be at most 10000000"));
    if (burst < 1 || burst > 10'000'000)
        return Status::failure(QStringLiteral("burst must be between 1 and 10000000"));
    if (challengeBits < 0 || challengeBits > 24)
        return Status::failure(QStringLiteral("challengeBits must be between 0 and 24"));
    if (addressWindowMs < 0 || addressWindowMs > maxAddressWindowMs)
        return Status::failure(
            QStringLiteral("addressWindowMs must be between 0 and %1").arg(maxAddressWindowMs));
    return Status::success();
}

} // namespace flashsale::sale
