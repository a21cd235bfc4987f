#include "saleschedule.h"

#include "jsonfields.h"

namespace flashsale::adminapi {

QJsonObject SaleSchedule::toJson() const
{
    return {
        {QStringLiteral("stock"), stock},
        {QStringLiteral("revealAt"), formatTime(revealAt)},
        {QStringLiteral("startAt"), formatTime(startAt)},
        {QStringLiteral("endAt"), formatTime(endAt)},
        {QStringLiteral("ratePerSecond"), ratePerSecond},
        {QStringLiteral("burst"), burst},
        {QStringLiteral("challengeBits"), challengeBits},
        {QStringLiteral("addressWindowMs"), addressWindowMs},
    };
}

} // namespace flashsale::adminapi
