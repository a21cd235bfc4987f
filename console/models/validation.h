#pragma once

#include "adminapi/goods.h"
#include "adminapi/saleschedule.h"

#include <QDateTime>
#include <QStringList>

namespace flashsale::console {

/// What is wrong with a schedule before it is sent, for people; empty when it is fine.
/// Rules: reveal <= start < end, none of them in the past (at \a now, to the second),
/// stock >= 0, rate > 0, burst >= 1 (the server checks the same, but an operator should not
/// wait for a round trip to learn a typo).
/// With \a revealKept or \a startKept, the times a sale in progress keeps are not checked against
/// now (a live sale's start is in the past by definition).
QStringList scheduleFaults(const adminapi::SaleSchedule &schedule, const QDateTime &now,
                           bool revealKept = false, bool startKept = false);

/// What is wrong with a rate change: rate > 0, burst >= 1.
QStringList rateFaults(double ratePerSecond, qint64 burst);

/// What is wrong with a top-up: at least one unit.
QStringList topUpFaults(qint64 add);

/// The largest price the server takes, in cents (10,000,000,000.00).
constexpr qint64 kMaxPriceCents = 1'000'000'000'000;

/// What is wrong with a product's details: a name, 0 <= prices <= kMaxPriceCents, flash
/// price not above price.
QStringList goodsFaults(const adminapi::Goods &goods);

/// What is allowed but probably a slip, said before saving: a price of 0.00.
QStringList goodsWarnings(const adminapi::Goods &goods);

} // namespace flashsale::console
