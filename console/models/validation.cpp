#include "validation.h"

#include <QCoreApplication>

namespace flashsale::console {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Validation", text);
}

} // namespace

QStringList scheduleFaults(const adminapi::SaleSchedule &schedule, const QDateTime &now,
                           bool revealKept, bool startKept)
{
    QStringList faults;
    const bool timesValid =
        schedule.revealAt.isValid() && schedule.startAt.isValid() && schedule.endAt.isValid();
    if (!timesValid)
        faults.append(tr("Reveal, start and end times are all needed."));
    if (timesValid) {
        if (schedule.revealAt > schedule.startAt)
            faults.append(tr("The URL must be revealed before or when the sale starts."));
        if (schedule.startAt >= schedule.endAt)
            faults.append(tr("The sale must end after it starts."));
        // Whole seconds: the editors show seconds, and "now" moves while the dialog is open.
        const QDateTime floorNow = now.addMSecs(-(now.time().msec()));
        if (!revealKept && schedule.revealAt < floorNow)
            faults.append(tr("The reveal time is in the past."));
        if (!startKept && schedule.startAt < floorNow)
            faults.append(tr("The start time is in the past."));
        if (schedule.endAt <= floorNow)
            faults.append(tr("The end time is in the past."));
    }
    if (schedule.stock < 0)
        faults.append(tr("Stock cannot be negative."));
    faults.append(rateFaults(schedule.ratePerSecond, schedule.burst));
    return faults;
}

QStringList rateFaults(double ratePerSecond, qint64 burst)
{
    QStringList faults;
    if (!(ratePerSecond > 0))
        faults.append(tr("The rate must be above 0 per second."));
    if (burst < 1)
        faults.append(tr("The burst must be at least 1."));
    return faults;
}

QStringList topUpFaults(qint64 add)
{
    if (add < 1)
        return {tr("Add at least one unit.")};
    return {};
}

QStringList goodsFaults(const adminapi::Goods &goods)
{
    QStringList faults;
    if (goods.name.trimmed().isEmpty())
        faults.append(tr("The product needs a name."));
    if (goods.priceCents < 0)
        faults.append(tr("The price cannot be negative."));
    if (goods.flashPriceCents < 0)
        faults.append(tr("The flash price cannot be negative."));
    if (goods.priceCents > kMaxPriceCents)
        faults.append(tr("The price is above the largest the server takes (10000000000.00)."));
    if (goods.flashPriceCents > kMaxPriceCents)
        faults.append(
            tr("The flash price is above the largest the server takes (10000000000.00)."));
    if (goods.flashPriceCents > goods.priceCents)
        faults.append(tr("The flash price is above the normal price."));
    return faults;
}

QStringList goodsWarnings(const adminapi::Goods &goods)
{
    QStringList warnings;
    if (goods.priceCents == 0)
        warnings.append(tr("The price is 0.00."));
    if (goods.flashPriceCents == 0)
        warnings.append(tr("The flash price is 0.00: the product is given away."));
    return warnings;
}

} // namespace flashsale::console
