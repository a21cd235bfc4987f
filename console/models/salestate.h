#pragma once

#include "adminapi/salestatus.h"

#include <QColor>
#include <QDateTime>
#include <QString>

namespace flashsale::console {

/// Where a product's sale stands, as the console shows it.
enum class SaleState { Draft, Scheduled, Revealed, Live, SoldOut, Ended, Degraded };

/// The state of \a sale at \a now, from its times, stock and kill switch. The console derives
/// it itself so the table moves on between two answers of the server (a countdown reaching
/// zero turns "scheduled" into "revealed" at once).
SaleState deriveState(const adminapi::SaleStatus &sale, const QDateTime &now);

/// The API's name: draft, scheduled, revealed, live, sold_out, ended, degraded.
QString stateName(SaleState state);
/// The state from an API name; Draft for an unknown one.
SaleState stateFromName(const QString &name);
/// For people: "Sold out".
QString stateLabel(SaleState state);
/// A background that tells the states apart at a glance.
QColor stateColor(SaleState state);

/// The next thing that happens to a sale and when.
struct NextEvent
{
    QString label; ///< "reveal", "start", "end"; empty when nothing is due
    QDateTime at; ///< invalid when nothing is due
};

/// The next of reveal, start and end after \a now.
NextEvent nextEvent(const adminapi::SaleStatus &sale, const QDateTime &now);

/// "2 d 03:04:05", "03:04:05", "00:00:07"; negative counts as zero.
QString formatCountdown(qint64 seconds);

} // namespace flashsale::console
