#include "salestate.h"

#include <QCoreApplication>

namespace flashsale::console {

SaleState deriveState(const adminapi::SaleStatus &sale, const QDateTime &now)
{
    if (!sale.isScheduled())
        return SaleState::Draft;
    if (now >= sale.endAt)
        return SaleState::Ended;
    // Sold out says more than the kill switch: nothing could be bought anyway.
    const QDateTime revealAt = sale.revealAt.isValid() ? sale.revealAt : sale.startAt;
    if (now >= sale.startAt && sale.stockLeft <= 0)
        return SaleState::SoldOut;
    // The kill switch (the product's own or the site's) matters while the sale can still
    // be bought from.
    if (sale.degraded)
        return SaleState::Degraded;
    if (now < revealAt)
        return SaleState::Scheduled;
    if (now < sale.startAt)
        return SaleState::Revealed;
    return SaleState::Live;
}

QString stateName(SaleState state)
{
    switch (state) {
    case SaleState::Draft:
        return QStringLiteral("draft");
    case SaleState::Scheduled:
        return QStringLiteral("scheduled");
    case SaleState::Revealed:
        return QStringLiteral("revealed");
    case SaleState::Live:
        return QStringLiteral("live");
    case SaleState::SoldOut:
        return QStringLiteral("sold_out");
    case SaleState::Ended:
        return QStringLiteral("ended");
    case SaleState::Degraded:
        return QStringLiteral("degraded");
    }
    return {};
}

SaleState stateFromName(const QString &name)
{
    for (SaleState s :
         {SaleState::Draft, SaleState::Scheduled, SaleState::Revealed, SaleState::Live,
          SaleState::SoldOut, SaleState::Ended, SaleState::Degraded}) {
        if (stateName(s) == name)
            return s;
    }
    return SaleState::Draft;
}

QString stateLabel(SaleState state)
{
    switch (state) {
    case SaleState::Draft:
        return QCoreApplication::translate("SaleState", "Draft");
    case SaleState::Scheduled:
        return QCoreApplication::translate("SaleState", "Scheduled");
    case SaleState::Revealed:
        return QCoreApplication::translate("SaleState", "Revealed");
    case SaleState::Live:
        return QCoreApplication::translate("SaleState", "Live");
    case SaleState::SoldOut:
        return QCoreApplication::translate("SaleState", "Sold out");
    case SaleState::Ended:
        return QCoreApplication::translate("SaleState", "Ended");
    case SaleState::Degraded:
        return QCoreApplication::translate("SaleState", "Degraded");
    }
    return {};
}

QColor stateColor(SaleState state)
{
    // Pale tints: the text on top stays readable in light themes.
    switch (state) {
    case SaleState::Draft:
        return QColor(0xee, 0xee, 0xee);
    case SaleState::Scheduled:
        return QColor(0xdd, 0xe8, 0xf6);
    case SaleState::Revealed:
        return QColor(0xfd, 0xf1, 0xc7);
    case SaleState::Live:
        return QColor(0xcf, 0xf0, 0xd2);
    case SaleState::SoldOut:
        return QColor(0xe6, 0xda, 0xf3);
    case SaleState::Ended:
        return QColor(0xd9, 0xd9, 0xd9);
    case SaleState::Degraded:
        return QColor(0xf8, 0xcf, 0xcb);
    }
    return {};
}

NextEvent nextEvent(const adminapi::SaleStatus &sale, const QDateTime &now)
{
    if (!sale.isScheduled())
        return {};
    if (sale.revealAt.isValid() && now < sale.revealAt)
        return {QCoreApplication::translate("SaleState", "reveal"), sale.revealAt};
    if (now < sale.startAt)
        return {QCoreApplication::translate("SaleState", "start"), sale.startAt};
    if (now < sale.endAt)
        return {QCoreApplication::translate("SaleState", "end"), sale.endAt};
    return {};
}

QString formatCountdown(qint64 seconds)
{
    seconds = qMax<qint64>(0, seconds);
    const qint64 days = seconds / 86400;
    const QString clock = QStringLiteral("%1:%2:%3")
                              .arg((seconds % 86400) / 3600, 2, 10, QLatin1Char('0'))
                              .arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'))
                              .arg(seconds % 60, 2, 10, QLatin1Char('0'));
    if (days > 0)
        return QStringLiteral("%1 d %2").arg(days).arg(clock);
    return clock;
}

} // namespace flashsale::console
