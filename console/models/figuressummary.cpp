#include "figuressummary.h"

#include <QCoreApplication>
#include <QLocale>

namespace flashsale::console {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("FiguresSummary", text);
}

QString number(double value, int decimals)
{
    return QLocale::c().toString(value, 'f', decimals);
}

QString percentiles(const adminapi::Stats::Percentiles &p)
{
    if (p.count == 0)
        return tr("–");
    return tr("p50 %1 ms, p99 %2 ms").arg(number(p.p50, 1), number(p.p99, 1));
}
} // namespace

QString figuresSummary(const adminapi::Stats &stats, qint64 ageMs, qint64 staleAfterMs)
{
    if (!stats.time.isValid())
        return tr("No live figures yet.");
    const bool feedStale = ageMs > staleAfterMs;
    const auto mark = [&](const QString &text, const QString &figure) {
        return feedStale || stats.isStale(figure) ? tr("%1 (stale)").arg(text) : text;
    };
    QStringList parts;
    parts << mark(tr("API instances %1, workers %2").arg(stats.instances).arg(stats.workers),
                  QStringLiteral("rates"));
    parts << mark(tr("orders/s %1").arg(number(stats.ordersPerSecond, 0)), QStringLiteral("rates"));
    parts << mark(tr("queue %1, dead letters %2").arg(stats.queueDepth).arg(stats.deadLetters),
                  QStringLiteral("queueDepth"));
    parts << mark(tr("buy latency %1").arg(percentiles(stats.buyLatencyMs)),
                  QStringLiteral("rates"));
    parts << mark(tr("order lag %1").arg(percentiles(stats.orderLagMs)), QStringLiteral("rates"));
    QString line = parts.join(QStringLiteral(" · "));
    if (feedStale)
        line += tr(" — no message for %1 s").arg(ageMs / 1000);
    return line;
}

} // namespace flashsale::console
