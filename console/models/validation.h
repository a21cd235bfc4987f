#pragma once

#include "goods.h"
#include "saleschedule.h"

#include <QDateTime>
#include <QStringList>

namespace flashsale::console {

/// What is wrong with a schedule before it is sent, for people; empty when it is fine.
/// Rules: reveal <= start < end, none of them in the past (at \a now, to the second),
/// stock >= 0, rate > 0, burst >= 1 (the server checks the same, but an operator should not
/// wait for a round trip to learn a typo).
QStringList scheduleFaults(const adminapi::SaleSchedule &schedule, const QDateTime &now);

/// What is wrong with a rate change: rate > 0, burst >= 1.
QStringList rateFaults(double ratePerSecond, qint64 burst);

/// What is wrong with a top-up: at least one unit.
QStringList topUpFaults(qint64 add);

/// What is wrong with a product's details: a name, prices >= 0, flash price not above price.
QStringList goodsFaults(const adminapi::Goods &goods);

} // namespace flashsale::console
