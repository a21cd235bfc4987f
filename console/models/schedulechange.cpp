#include "schedulechange.h"

#include "timeformat.h"

#include <QCoreApplication>
#include <QLocale>

namespace flashsale::console {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ScheduleChange", text);
}

qint64 ms(const QDateTime &time)
{
    return time.isValid() ? time.toMSecsSinceEpoch() : 0;
}

// The editors show whole seconds: a time within the same second is the same time.
bool sameSecond(const QDateTime &a, const QDateTime &b)
{
    return a.isValid() == b.isValid() && (!a.isValid() || qAbs(a.msecsTo(b)) < 1000);
}

QString rate(double perSecond, qint64 burst)
{
    return tr("%1/s, burst %2").arg(QLocale::c().toString(perSecond, 'g', 6)).arg(burst);
}

// "(45 min later)", "(5 min earlier)"
QString shift(const QDateTime &from, const QDateTime &to)
{
    const qint64 s = from.secsTo(to);
    return s >= 0 ? tr("%1 later").arg(formatDuration(s)) : tr("%1 earlier").arg(formatDuration(s));
}

} // namespace

SaleEditRules editRules(const adminapi::SaleStatus &sale, const QDateTime &now)
{
    SaleEditRules::Current c;
    c.scheduled = sale.isScheduled();
    c.revealAtMs = ms(sale.revealAt.isValid() ? sale.revealAt : sale.startAt);
    c.startAtMs = ms(sale.startAt);
    c.endAtMs = ms(sale.endAt);
    c.preloadedStock = sale.preloadedStock;
    c.stockTaken =
        sale.ordersCreated > 0 || sale.pending > 0 || sale.stockLeft != sale.preloadedStock;
    return SaleEditRules(c, now.toMSecsSinceEpoch());
}

adminapi::SaleSchedule initialSchedule(const adminapi::SaleStatus &sale, const QDateTime &now)
{
    adminapi::SaleSchedule s;
    const SaleEditRules rules = editRules(sale, now);
    const bool keepTimes = rules.stage() != SaleEditRules::Stage::Draft
        && rules.stage() != SaleEditRules::Stage::Ended;
    const QDateTime base = now.addMSecs(-now.time().msec());
    s.revealAt =
        keepTimes ? (sale.revealAt.isValid() ? sale.revealAt : sale.startAt) : base.addSecs(5 * 60);
    s.startAt = keepTimes ? sale.startAt : base.addSecs(10 * 60);
    s.endAt = keepTimes ? sale.endAt : s.startAt.addSecs(60 * 60);
    const bool draft = rules.stage() == SaleEditRules::Stage::Draft;
    s.stock = draft && sale.preloadedStock == 0 ? 100 : sale.preloadedStock;
    s.ratePerSecond = sale.ratePerSecond > 0 ? sale.ratePerSecond : 100;
    s.burst = sale.burst > 0 ? sale.burst : 50;
    s.challengeBits = sale.challengeBits;
    s.addressWindowMs = sale.addressWindowMs;
    return s;
}

ScheduleChange describeScheduleChange(const adminapi::SaleStatus &current,
                                      const adminapi::SaleSchedule &asked, const QDateTime &now)
{
    const SaleEditRules rules = editRules(current, now);
    ScheduleChange c;
    c.stage = rules.stage();
    c.revealLocked = rules.revealLocked();
    c.startLocked = rules.startLocked();
    c.stockLocked = rules.stockLocked();
    c.inProgress = rules.inProgress();
    const QString name =
        current.name.isEmpty() ? tr("#%1").arg(current.goodsId) : tr("'%1'").arg(current.name);
    const QDateTime reveal = current.revealAt.isValid() ? current.revealAt : current.startAt;
    const QString counts = tr("%1 left of %2 preloaded, %3 sold, %4 pending")
                               .arg(current.stockLeft)
                               .arg(current.preloadedStock)
                               .arg(current.ordersCreated)
                               .arg(current.pending);
    switch (c.stage) {
    case SaleEditRules::Stage::Draft:
        c.headline = tr("%1 has no sale yet: this schedules one.").arg(name);
        break;
    case SaleEditRules::Stage::Scheduled:
        c.headline = tr("%1 is scheduled; its buy path is not out yet, so every value may "
                        "change.")
                         .arg(name);
        break;
    case SaleEditRules::Stage::Revealed:
        c.headline = tr("%1 is REVEALED: shoppers have had the buy path since %2. It stays "
                        "revealed; what you change reaches them at once.")
                         .arg(name, formatLocalTime(reveal));
        break;
    case SaleEditRules::Stage::Live:
        c.headline = tr("%1 is LIVE since %2 (%3). It stays live: buying goes on, and it does "
                        "not go back to scheduled.")
                         .arg(name, formatLocalTime(current.startAt), counts);
        break;
    case SaleEditRules::Stage::Ended:
        c.headline = tr("%1 ended at %2: this schedules it again, with a new buy path.")
                         .arg(name, formatLocalTime(current.endAt));
        break;
    }

    const bool draft = c.stage == SaleEditRules::Stage::Draft;
    auto time = [&](const QString &label, const QDateTime &before, const QDateTime &after,
                    bool locked, const QString &why) {
        if (locked) {
            c.changes.append(tr("%1: stays %2 (%3).").arg(label, formatLocalTime(before), why));
            return;
        }
        if (draft) {
            c.changes.append(tr("%1: %2.").arg(label, formatLocalTime(after)));
            c.changesAnything = true;
            return;
        }
        if (sameSecond(before, after)) {
            c.changes.append(tr("%1: %2 (unchanged).").arg(label, formatLocalTime(before)));
            return;
        }
        c.changesAnything = true;
        c.changes.append(
            tr("%1: moves from %2 to %3 (%4).")
                .arg(label, formatLocalTime(before), formatLocalTime(after), shift(before, after)));
    };
    time(tr("Reveal"), reveal, asked.revealAt, c.revealLocked, tr("the buy path is out"));
    time(tr("Start"), current.startAt, asked.startAt, c.startLocked, tr("buying is open"));
    time(tr("End"), current.endAt, asked.endAt, false, QString());
    if (!c.startLocked && asked.startAt.isValid() && asked.startAt <= now && asked.endAt > now)
        c.changes.append(tr("Buying opens AT ONCE."));
    if (c.stage == SaleEditRules::Stage::Live && asked.endAt.isValid() && asked.endAt <= now) {
        c.endsAtOnce = true;
        c.changes.append(tr("The sale ENDS AT ONCE: buying stops."));
    }

    if (c.stockLocked) {
        c.changes.append(tr("Stock: untouched (%1). Use Top up to add units.").arg(counts));
    } else if (draft) {
        c.changes.append(tr("Stock: %1 units are preloaded.").arg(asked.stock));
        c.changesAnything = true;
    } else if (asked.stock == current.preloadedStock) {
        c.changes.append(tr("Stock: %1 preloaded (unchanged).").arg(current.preloadedStock));
    } else {
        c.changes.append(tr("Stock: %1 units replace the %2 preloaded (none sold yet).")
                             .arg(asked.stock)
                             .arg(current.preloadedStock));
        c.changesAnything = true;
    }

    if (draft || asked.ratePerSecond != current.ratePerSecond || asked.burst != current.burst) {
        c.changes.append(draft ? tr("Rate: %1.").arg(rate(asked.ratePerSecond, asked.burst))
                               : tr("Rate: from %1 to %2.")
                                     .arg(rate(current.ratePerSecond, current.burst),
                                          rate(asked.ratePerSecond, asked.burst)));
        c.changesAnything = true;
    }

    const auto challenge = [](int bits) {
        return bits == 0 ? tr("none")
                         : tr("%1 bits (about %2 hashes a shopper)").arg(bits).arg(1LL << bits);
    };
    if (draft || asked.challengeBits != current.challengeBits) {
        c.changes.append(
            draft ? tr("Proof of work before the path: %1.").arg(challenge(asked.challengeBits))
                  : tr("Proof of work before the path: from %1 to %2.")
                        .arg(challenge(current.challengeBits), challenge(asked.challengeBits)));
        c.changesAnything = true;
    }
    const auto window = [](int ms) {
        return ms == 0 ? tr("none") : tr("one try per %1 s").arg(ms / 1000.0);
    };
    if (draft || asked.addressWindowMs != current.addressWindowMs) {
        c.changes.append(
            draft ? tr("Per-address window: %1.").arg(window(asked.addressWindowMs))
                  : tr("Per-address window: from %1 to %2.")
                        .arg(window(current.addressWindowMs), window(asked.addressWindowMs)));
        c.changesAnything = true;
    }

    // The same check as the server's (SaleEditRules::faults), in the console's words.
    if (c.revealLocked && !sameSecond(asked.revealAt, reveal))
        c.faults.append(tr("The buy path is out since %1: the reveal time cannot move.")
                            .arg(formatLocalTime(reveal)));
    if (c.startLocked && !sameSecond(asked.startAt, current.startAt))
        c.faults.append(tr("The sale is live since %1: the start time cannot move.")
                            .arg(formatLocalTime(current.startAt)));
    if (c.stockLocked && asked.stock != current.preloadedStock)
        c.faults.append(tr("Units were sold or the sale is live: the stock stays at %1 "
                           "preloaded; use Top up to add units.")
                            .arg(current.preloadedStock));
    return c;
}

} // namespace flashsale::console
