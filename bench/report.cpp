#include "report.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>

namespace flashsale::bench {

namespace {

QString ms(double value)
{
    return value >= 100 ? QString::number(value, 'f', 0) : QString::number(value, 'f', 2);
}

} // namespace

Percentiles Percentiles::of(std::vector<double> values)
{
    Percentiles p;
    p.count = qint64(values.size());
    if (values.empty())
        return p;
    std::sort(values.begin(), values.end());
    auto at = [&](double q) {
        // The nearest rank: the smallest value with at least q of the values at or below it.
        const std::size_t rank = std::size_t(std::ceil(q * double(values.size())));
        return values[std::min(values.size() - 1, rank == 0 ? 0 : rank - 1)];
    };
    p.p50 = at(0.50);
    p.p90 = at(0.90);
    p.p99 = at(0.99);
    p.max = values.back();
    return p;
}

QJsonObject Percentiles::toJson() const
{
    return QJsonObject {{QStringLiteral("count"), count},
                        {QStringLiteral("p50"), p50},
                        {QStringLiteral("p90"), p90},
                        {QStringLiteral("p99"), p99},
                        {QStringLiteral("max"), max}};
}

RehearsalReport::RehearsalReport(Input input)
    : m_in(std::move(input))
{
    QMap<Outcome, std::vector<double>> buy;
    QMap<RequestKind, std::vector<double>> other;
    double firstBuyMs = 1e18, lastBuyMs = -1e18, firstMs = 1e18, lastMs = -1e18;
    double firstSoldOutMs = -1, lastAcceptedMs = -1;
    for (const Sample &s : m_in.samples) {
        const double latencyMs = s.latencyUs / 1000.0;
        const double answeredMs = s.sentMs + latencyMs;
        firstMs = std::min<double>(firstMs, s.sentMs);
        lastMs = std::max(lastMs, answeredMs);
        if (s.kind != RequestKind::Buy) {
            other[s.kind].push_back(latencyMs);
            continue;
        }
        buy[s.outcome].push_back(latencyMs);
        ++m_buyCounts[s.outcome];
        firstBuyMs = std::min<double>(firstBuyMs, s.sentMs);
        lastBuyMs = std::max(lastBuyMs, answeredMs);
        if (s.outcome == Outcome::SoldOut && (firstSoldOutMs < 0 || answeredMs < firstSoldOutMs))
            firstSoldOutMs = answeredMs;
        if (s.outcome == Outcome::Queued)
            lastAcceptedMs = std::max(lastAcceptedMs, answeredMs);
    }
    for (auto it = buy.begin(); it != buy.end(); ++it)
        m_buyLatency[it.key()] = Percentiles::of(std::move(it.value()));
    for (auto it = other.begin(); it != other.end(); ++it)
        m_otherLatency[it.key()] = Percentiles::of(std::move(it.value()));
    qint64 buys = 0;
    for (qint64 n : m_buyCounts)
        buys += n;
    m_buyWindowS = lastBuyMs > firstBuyMs ? (lastBuyMs - firstBuyMs) / 1000 : 0;
    m_buyThroughput = m_buyWindowS > 0 ? buys / m_buyWindowS : 0;
    m_throughput = lastMs > firstMs ? m_in.samples.size() / ((lastMs - firstMs) / 1000) : 0;
    m_soldOutAfterS = firstSoldOutMs < 0 ? -1 : firstSoldOutMs / 1000;
    m_lastAcceptedS = lastAcceptedMs < 0 ? -1 : lastAcceptedMs / 1000;

    std::vector<double> lags;
    if (m_in.shoppersState)
        for (const Shopper &s : *m_in.shoppersState) {
            ++m_endings[s.ending];
            if (s.ending == Ending::Created && s.resolvedAtUs > s.acceptedAtUs)
                lags.push_back((s.resolvedAtUs - s.acceptedAtUs) / 1000.0);
        }
    m_orderLag = Percentiles::of(std::move(lags));
    for (const SaleSample &s : m_in.saleSamples)
        m_serverOrderLagP99Ms = std::max(m_serverOrderLagP99Ms, s.serverOrderLagP99Ms);
}

QString RehearsalReport::text() const
{
    QString t;
    auto line = [&](const QString &l) {
        t += l + u'\n';
    };
    line(QStringLiteral("Rehearsal of sale %1: %2 units, %3 shoppers (%4 signed in in %5 s), %6%7")
             .arg(m_in.goodsId)
             .arg(m_in.preloadedStock)
             .arg(m_in.shoppers)
             .arg(m_in.signedIn)
             .arg(m_in.accountsSeconds, 0, 'f', 1)
             .arg(m_in.mode,
                  m_in.challengeBits ? QStringLiteral(", %1-bit challenge").arg(m_in.challengeBits)
                                     : QString()));
    qint64 buys = 0;
    for (qint64 n : m_buyCounts)
        buys += n;
    line(QStringLiteral("Throughput: %1 buy answers/s over %2 s of buying (%3 buys); %4 answers/s "
                        "of every kind over the sale (%5 requests)")
             .arg(m_buyThroughput, 0, 'f', 0)
             .arg(m_buyWindowS, 0, 'f', 2)
             .arg(buys)
             .arg(m_throughput, 0, 'f', 0)
             .arg(m_in.samples.size()));
    line(QStringLiteral("Buy latency (ms)      count      p50      p90      p99      max"));
    auto row = [&](const QString &name, const Percentiles &p) {
        line(QStringLiteral("  %1 %2 %3 %4 %5 %6")
                 .arg(name, -18)
                 .arg(p.count, 8)
                 .arg(ms(p.p50), 8)
                 .arg(ms(p.p90), 8)
                 .arg(ms(p.p99), 8)
                 .arg(ms(p.max), 8));
    };
    for (auto it = m_buyLatency.begin(); it != m_buyLatency.end(); ++it)
        row(outcomeName(it.key()), it.value());
    line(QStringLiteral("Other requests (ms)"));
    for (auto it = m_otherLatency.begin(); it != m_otherLatency.end(); ++it)
        row(kindName(it.key()), it.value());
    if (m_soldOutAfterS >= 0)
        line(QStringLiteral("Sold out: %1 s after the start (the last 202 at %2 s)")
                 .arg(m_soldOutAfterS, 0, 'f', 3)
                 .arg(m_lastAcceptedS, 0, 'f', 3));
    else
        line(QStringLiteral("Not sold out (the last 202 at %1 s)").arg(m_lastAcceptedS, 0, 'f', 3));
    line(QStringLiteral("Order lag, 202 to created seen by the shopper's poll (ms): p50 %1, "
                        "p99 %2, max %3 (%4 orders); the site's own p99 at most %5 ms")
             .arg(ms(m_orderLag.p50), ms(m_orderLag.p99), ms(m_orderLag.max))
             .arg(m_orderLag.count)
             .arg(ms(m_serverOrderLagP99Ms)));
    QStringList endings;
    for (auto it = m_endings.begin(); it != m_endings.end(); ++it)
        endings << QStringLiteral("%1 %2").arg(it.value()).arg(endingName(it.key()));
    line(QStringLiteral("Shoppers: ") + endings.join(QStringLiteral(", ")));
    if (m_in.requestsSent > 0)
        line(QStringLiteral("Client CPU: %1 us per request (%2 requests%3)")
                 .arg(m_in.clientCpuUs / m_in.requestsSent, 0, 'f', 2)
                 .arg(m_in.requestsSent)
                 .arg(m_in.solveCpuUs > 0 ? QStringLiteral("; %1 s more solving challenges")
                                                .arg(m_in.solveCpuUs / 1e6, 0, 'f', 2)
                                          : QString()));
    for (const ChaosEvent &e : m_in.chaos)
        line(QStringLiteral("Chaos: %1 %2 at %3 s, restarted at %4 s, %5")
                 .arg(e.component, e.detail.section(u';', 0, 0))
                 .arg(e.killedAtS, 0, 'f', 1)
                 .arg(e.restartedAtS, 0, 'f', 1)
                 .arg(e.backAtS >= 0 ? QStringLiteral("back at %1 s").arg(e.backAtS, 0, 'f', 1)
                                     : QStringLiteral("NOT BACK: ") + e.detail));
    line(QStringLiteral("Invariants:"));
    for (const Invariant &i : m_in.invariants)
        line(QStringLiteral("  %1 %2: %3")
                 .arg(i.holds ? QStringLiteral("ok    ") : QStringLiteral("FAILED"), i.name,
                      i.detail));
    return t;
}

QJsonObject RehearsalReport::toJson() const
{
    QJsonObject buyLatency;
    for (auto it = m_buyLatency.begin(); it != m_buyLatency.end(); ++it)
        buyLatency.insert(outcomeName(it.key()), it.value().toJson());
    QJsonObject otherLatency;
    for (auto it = m_otherLatency.begin(); it != m_otherLatency.end(); ++it)
        otherLatency.insert(kindName(it.key()), it.value().toJson());
    QJsonObject endings;
    for (auto it = m_endings.begin(); it != m_endings.end(); ++it)
        endings.insert(endingName(it.key()), it.value());
    QJsonArray invariants;
    for (const Invariant &i : m_in.invariants)
        invariants.append(QJsonObject {{QStringLiteral("name"), i.name},
                                       {QStringLiteral("holds"), i.holds},
                                       {QStringLiteral("detail"), i.detail}});
    QJsonArray chaos;
    for (const ChaosEvent &e : m_in.chaos)
        chaos.append(QJsonObject {{QStringLiteral("component"), e.component},
                                  {QStringLiteral("killedAtS"), e.killedAtS},
                                  {QStringLiteral("restartedAtS"), e.restartedAtS},
                                  {QStringLiteral("backAtS"), e.backAtS},
                                  {QStringLiteral("newPid"), e.newPid},
                                  {QStringLiteral("detail"), e.detail}});
    QJsonArray sale;
    for (const SaleSample &s : m_in.saleSamples)
        sale.append(QJsonObject {{QStringLiteral("atS"), s.atS},
                                 {QStringLiteral("stockLeft"), s.stockLeft},
                                 {QStringLiteral("pending"), s.pending},
                                 {QStringLiteral("orders"), s.orders}});
    return QJsonObject {
        {QStringLiteral("goodsId"), m_in.goodsId},
        {QStringLiteral("preloadedStock"), m_in.preloadedStock},
        {QStringLiteral("challengeBits"), m_in.challengeBits},
        {QStringLiteral("mode"), m_in.mode},
        {QStringLiteral("shoppers"), m_in.shoppers},
        {QStringLiteral("signedIn"), m_in.signedIn},
        {QStringLiteral("accountsSeconds"), m_in.accountsSeconds},
        {QStringLiteral("saleSeconds"), m_in.saleSeconds},
        {QStringLiteral("buyAnswersPerSecond"), m_buyThroughput},
        {QStringLiteral("answersPerSecond"), m_throughput},
        {QStringLiteral("buyLatencyMs"), buyLatency},
        {QStringLiteral("otherLatencyMs"), otherLatency},
        {QStringLiteral("soldOutAfterS"), m_soldOutAfterS},
        {QStringLiteral("lastAcceptedAfterS"), m_lastAcceptedS},
        {QStringLiteral("orderLagMs"), m_orderLag.toJson()},
        {QStringLiteral("siteOrderLagP99Ms"), m_serverOrderLagP99Ms},
        {QStringLiteral("shopperEndings"), endings},
        {QStringLiteral("requestsSent"), m_in.requestsSent},
        {QStringLiteral("clientCpuUsPerRequest"),
         m_in.requestsSent ? m_in.clientCpuUs / m_in.requestsSent : 0.0},
        {QStringLiteral("solveCpuSeconds"), m_in.solveCpuUs / 1e6},
        {QStringLiteral("sale"), sale},
        {QStringLiteral("chaos"), chaos},
        {QStringLiteral("invariants"), invariants},
        {QStringLiteral("allInvariantsHold"), InvariantChecker::allHold(m_in.invariants)},
    };
}

Status RehearsalReport::write(const QString &dir) const
{
    if (!QDir().mkpath(dir))
        return Status::failure(QStringLiteral("cannot create %1").arg(dir));
    QFile json(QDir(dir).filePath(QStringLiteral("report.json")));
    if (!json.open(QIODevice::WriteOnly | QIODevice::Truncate)
        || json.write(QJsonDocument(toJson()).toJson()) < 0)
        return Status::failure(
            QStringLiteral("cannot write %1: %2").arg(json.fileName(), json.errorString()));
    json.close();
    return writePlots(dir);
}

} // namespace flashsale::bench
