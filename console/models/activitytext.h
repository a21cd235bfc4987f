#pragma once

#include "adminapi/degradation.h"
#include "adminapi/salestatus.h"

#include <QHash>
#include <QStringList>

namespace flashsale::console {

/// One line for the Activity log on a sale the server answered with: what changed from
/// \a before to \a after (stock added, rate, times), not the new totals alone.
QString describeSaleUpdate(const adminapi::SaleStatus &before, const adminapi::SaleStatus &after);

/// Lines for the kill switches that changed from \a before to \a after (site and products);
/// \a names gives the products' names.
QStringList describeDegradationChange(const adminapi::Degradation &before,
                                      const adminapi::Degradation &after,
                                      const QHash<qint64, QString> &names);

/// "1000/s, burst 100"
QString formatRate(double ratePerSecond, qint64 burst);

} // namespace flashsale::console
