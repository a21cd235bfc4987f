#include "activitytext.h"

#include "timeformat.h"

#include <QCoreApplication>
#include <QLocale>
#include <QSet>

namespace flashsale::console {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Activity", text);
}

QString signedNumber(qint64 n)
{
    return n >= 0 ? QStringLiteral("+%1").arg(n) : QString::number(n);
}

} // namespace

QString formatRate(double ratePerSecond, qint64 burst)
{
    return tr("%1/s, burst %2").arg(QLocale::c().toString(ratePerSecond, 'g', 6)).arg(burst);
}

QString describeSaleUpdate(const adminapi::SaleStatus &before, const adminapi::SaleStatus &after)
{
    const QString who = tr("Sale %1 '%2'").arg(after.goodsId).arg(after.name);
    QStringList parts;
    if (!before.isScheduled() && after.isScheduled()) {
        parts.append(tr("scheduled with %1 units, reveal %2, start %3, end %4, rate %5")
                         .arg(after.preloadedStock)
                         .arg(formatLocalTime(after.revealAt), formatLocalTime(after.startAt),
                              formatLocalTime(after.endAt),
                              formatRate(after.ratePerSecond, after.burst)));
        return who + u": " + parts.join(QStringLiteral("; "));
    }
    if (after.preloadedStock != before.preloadedStock)
        parts.append(tr("stock %1 (preloaded %2 -> %3, left %4 -> %5)")
                         .arg(signedNumber(after.preloadedStock - before.preloadedStock))
                         .arg(before.preloadedStock)
                         .arg(after.preloadedStock)
                         .arg(before.stockLeft)
                         .arg(after.stockLeft));
    if (after.ratePerSecond != before.ratePerSecond || after.burst != before.burst)
        parts.append(tr("rate %1 -> %2")
                         .arg(formatRate(before.ratePerSecond, before.burst),
                              formatRate(after.ratePerSecond, after.burst)));
    const auto moved = [&](const QString &what, const QDateTime &from, const QDateTime &to) {
        if (from != to)
            parts.append(tr("%1 %2 -> %3").arg(what, formatLocalTime(from), formatLocalTime(to)));
    };
    moved(tr("reveal"), before.revealAt, after.revealAt);
    moved(tr("start"), before.startAt, after.startAt);
    moved(tr("end"), before.endAt, after.endAt);
    if (parts.isEmpty())
        parts.append(
            tr("unchanged (%1 left of %2)").arg(after.stockLeft).arg(after.preloadedStock));
    return who + u": " + parts.join(QStringLiteral("; "));
}

QStringList describeDegradationChange(const adminapi::Degradation &before,
                                      const adminapi::Degradation &after,
                                      const QHash<qint64, QString> &names)
{
    QStringList lines;
    if (before.site.on != after.site.on)
        lines.append(
            after.site.on
                ? tr("Site degraded: every buy answers 503 (\"%1\")").arg(after.site.message)
                : tr("Site degradation reset: buys are accepted again"));
    QSet<qint64> ids;
    for (const adminapi::Degradation::Switch &s : before.goods)
        ids.insert(s.goodsId);
    for (const adminapi::Degradation::Switch &s : after.goods)
        ids.insert(s.goodsId);
    QList<qint64> sorted(ids.cbegin(), ids.cend());
    std::sort(sorted.begin(), sorted.end());
    for (qint64 id : sorted) {
        const adminapi::Degradation::Switch was = before.forGoods(id);
        const adminapi::Degradation::Switch now = after.forGoods(id);
        if (was.on == now.on)
            continue;
        const QString product = names.value(id).isEmpty()
            ? tr("Product %1").arg(id)
            : tr("Product %1 '%2'").arg(id).arg(names.value(id));
        lines.append(now.on
                         ? tr("%1 degraded: its buys answer 503 (\"%2\")").arg(product, now.message)
                         : tr("%1 degradation reset: its buys are accepted again").arg(product));
    }
    return lines;
}

} // namespace flashsale::console
