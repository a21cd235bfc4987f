#pragma once

#include "adminapi/saleschedule.h"
#include "adminapi/salestatus.h"
#include "saleeditrules.h"

#include <QDateTime>
#include <QStringList>

namespace flashsale::console {

/// The server's rule (SaleEditRules) applied to a sale as the console sees it at \a now.
SaleEditRules editRules(const adminapi::SaleStatus &sale, const QDateTime &now);

/// What the schedule dialog opens with: the sale's values in force, or for a draft or an
/// ended sale a suggestion a few minutes from \a now (keeping its stock, rate and burst).
adminapi::SaleSchedule initialSchedule(const adminapi::SaleStatus &sale, const QDateTime &now);

/// What sending \a asked would do to \a current at \a now, in the words of the schedule
/// dialog and its confirmation. Derived from SaleEditRules, so it says what the server
/// will hold afterwards (docs/api.md, "Changing a sale that exists").
struct ScheduleChange
{
    SaleEditRules::Stage stage = SaleEditRules::Stage::Draft; ///< where the sale stands now
    bool revealLocked = false; ///< the reveal stays (the buy path is out)
    bool startLocked = false; ///< the start stays (buying is open)
    bool stockLocked = false; ///< the stock stays (top up instead)
    bool inProgress = false; ///< revealed or live: shoppers see the change at once
    bool endsAtOnce = false; ///< a live sale's new end has passed: buying stops now
    QString headline; ///< where the sale stands and whether it keeps standing there
    QStringList changes; ///< one sentence per field: what it becomes, or that it stays
    QStringList faults; ///< locked fields that \a asked changes (the server would refuse)
    bool changesAnything = false; ///< false: sending it would leave the sale as it is
};

ScheduleChange describeScheduleChange(const adminapi::SaleStatus &current,
                                      const adminapi::SaleSchedule &asked, const QDateTime &now);

} // namespace flashsale::console
