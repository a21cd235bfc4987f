#include "rehearsal.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QEventLoop>
#include <QTimer>

#include <cstring>
#include <netdb.h>
#include <sys/resource.h>
#include <unistd.h>

namespace flashsale::bench {

using namespace flashsale::adminapi;

namespace {

void sleepMs(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

double processCpuUs()
{
    rusage usage {};
    ::getrusage(RUSAGE_SELF, &usage);
    return usage.ru_utime.tv_sec * 1e6 + usage.ru_utime.tv_usec + usage.ru_stime.tv_sec * 1e6
        + usage.ru_stime.tv_usec;
}

} // namespace

Rehearsal::Rehearsal(RehearsalOptions options)
    : m_options(std::move(options))
    , m_out(stdout)
    , m_err(stderr)
    , m_tty(::isatty(STDERR_FILENO))
{ }

int Rehearsal::fail(const QString &message)
{
    m_err << "flashsale-bench: " << message << Qt::endl;
    return 2;
}

Result<Target> Rehearsal::resolveTarget() const
{
    Target target;
    const QUrl &url = m_options.shopUrl;
    const int port = url.port(80);
    addrinfo hints {};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *found = nullptr;
    const QByteArray host = url.host().toUtf8();
    if (::getaddrinfo(host.constData(), QByteArray::number(port).constData(), &hints, &found) != 0
        || !found)
        return Result<Target>::failure(QStringLiteral("--url: cannot resolve %1").arg(url.host()));
    std::memcpy(&target.address, found->ai_addr, found->ai_addrlen);
    target.length = found->ai_addrlen;
    ::freeaddrinfo(found);
    target.host = url.authority().toStdString();
    return target;
}

std::int64_t Rehearsal::localUs(const QDateTime &at) const
{
    const qint64 serverNowMs = QDateTime::currentMSecsSinceEpoch() + m_clockOffsetMs;
    return monotonicUs() + (at.toMSecsSinceEpoch() - serverNowMs) * 1000;
}

Result<SaleStatus> Rehearsal::prepareSale(qint64 clockOffsetMs)
{
    if (m_options.goodsId > 0)
        return m_admin.sale(m_options.goodsId);
    Goods goods;
    goods.name = QStringLiteral("Rehearsal %1").arg(m_options.prefix);
    goods.description = QStringLiteral("Made by flashsale-bench");
    goods.priceCents = 1000;
    goods.flashPriceCents = 100;
    const Result<Goods> created = m_admin.createGoods(goods);
    if (!created)
        return Result<SaleStatus>::failure(created.error());
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(
        QDateTime::currentMSecsSinceEpoch() + clockOffsetMs, Qt::UTC);
    SaleSchedule schedule;
    schedule.stock = m_options.stock;
    schedule.revealAt = now.addSecs(m_options.revealInS);
    schedule.startAt = now.addSecs(m_options.startInS);
    schedule.endAt = schedule.startAt.addSecs(m_options.saleLengthS);
    schedule.ratePerSecond = m_options.saleRate;
    schedule.burst = m_options.burst;
    schedule.challengeBits = m_options.challengeBits;
    return m_admin.schedule(created->goodsId, schedule);
}

void Rehearsal::progress(const LoadDriver &driver, std::int64_t startUs, bool sale, bool last)
{
    if (!m_options.progress)
        return;
    const LiveCounters &c = driver.counters();
    if (!sale) {
        const QString line = QStringLiteral("%1 s  accounts: sent %2  answered %3")
                                 .arg((monotonicUs() - startUs) / 1e6, 6, 'f', 1)
                                 .arg(c.sent.load())
                                 .arg(c.otherAnswers.load());
        if (m_tty)
            m_err << '\r' << line << "\x1b[K" << (last ? "\n" : "") << Qt::flush;
        else
            m_err << line << Qt::endl;
        return;
    }
    auto n = [&](Outcome o) {
        return c.buyAnswers[int(o)].load(std::memory_order_relaxed);
    };
    const qint64 throttled = n(Outcome::TooFrequent) + n(Outcome::RateLimited);
    const qint64 other = n(Outcome::Duplicate) + n(Outcome::NotStarted) + n(Outcome::NotFound)
        + n(Outcome::Unauthorized) + n(Outcome::Ok) + n(Outcome::ClientError)
        + n(Outcome::ServerError) + n(Outcome::NoAnswer);
    const QString line =
        QStringLiteral("%1 s  sent %2  buys: 202 %3  410 %4  429 %5  503 %6  other %7  |  stock "
                       "%8  pending %9  orders %10  resolved %11")
            .arg((monotonicUs() - startUs) / 1e6, 6, 'f', 1)
            .arg(c.sent.load())
            .arg(n(Outcome::Queued))
            .arg(n(Outcome::SoldOut) + n(Outcome::Ended))
            .arg(throttled)
            .arg(n(Outcome::Degraded))
            .arg(other)
            .arg(m_lastSale.stockLeft)
            .arg(m_lastSale.pending)
            .arg(m_lastSale.ordersCreated)
            .arg(c.resolved.load());
    if (m_tty)
        m_err << '\r' << line << "\x1b[K" << (last ? "\n" : "") << Qt::flush;
    else
        m_err << line << Qt::endl;
}

void Rehearsal::watch(LoadDriver &driver, std::int64_t startUs, bool sampleSale,
                      const ChaosMonkey *chaos)
{
    // The sale is sampled four times a second (the stock plot), the progress line printed
    // every second on a terminal, every 5 s into a file.
    std::int64_t nextSample = monotonicUs();
    std::int64_t nextLine = nextSample;
    while (!driver.finished() || (chaos && !chaos->finished())) {
        sleepMs(50);
        const std::int64_t now = monotonicUs();
        if (now < nextSample)
            continue;
        nextSample = now + 250'000;
        if (sampleSale) {
            const Result<SaleStatus> sale = m_admin.sale(m_goodsId);
            if (sale) {
                m_lastSale = sale.value();
                SaleSample s;
                s.atS = (monotonicUs() - m_startUs) / 1e6;
                s.stockLeft = m_lastSale.stockLeft;
                s.pending = m_lastSale.pending;
                s.orders = m_lastSale.ordersCreated;
                if (m_admin.latestStats() && m_admin.latestStats()->orderLagMs.count > 0)
                    s.serverOrderLagP99Ms = m_admin.latestStats()->orderLagMs.p99;
                m_saleSamples.append(s);
            }
        }
        if (now >= nextLine) {
            nextLine = now + (m_tty ? 1'000'000 : 5'000'000);
            progress(driver, startUs, sampleSale, false);
        }
    }
    driver.join();
    progress(driver, startUs, sampleSale, true);
}

Result<SaleStatus> Rehearsal::settledSale()
{
    const std::int64_t deadline = monotonicUs() + m_options.resolveTimeoutS * 1'000'000LL;
    // After chaos the admin API may be back only later, and a reservation lost on its way
    // waits for the reconciler (--reconcile-after-ms): keep asking.
    Result<SaleStatus> sale = m_admin.sale(m_goodsId);
    while ((!sale || sale->pending > 0) && monotonicUs() < deadline) {
        sleepMs(250);
        sale = m_admin.sale(m_goodsId);
    }
    return sale;
}

int Rehearsal::run()
{
    const Result<Target> target = resolveTarget();
    if (!target)
        return fail(target.error());
    if (const Status opened = m_admin.open(m_options.adminUrl, m_options.adminToken); !opened)
        return fail(opened.error());
    const Result<qint64> offset = m_admin.clockOffsetMs();
    if (!offset)
        return fail(offset.error());
    m_clockOffsetMs = offset.value();

    // A given sale must be on its way; a created one is made once the shoppers are ready.
    SaleStatus given;
    if (m_options.goodsId > 0) {
        const Result<SaleStatus> sale = m_admin.sale(m_options.goodsId);
        if (!sale)
            return fail(sale.error());
        if (!sale->isScheduled())
            return fail(QStringLiteral("product %1 has no sale scheduled: schedule it (console or "
                                       "admin API) or leave out --goods")
                            .arg(m_options.goodsId));
        const qint64 serverNow = QDateTime::currentMSecsSinceEpoch() + m_clockOffsetMs;
        if (sale->endAt.toMSecsSinceEpoch() <= serverNow)
            return fail(QStringLiteral("the sale of product %1 has ended").arg(m_options.goodsId));
        given = sale.value();
    }

    std::vector<Shopper> shoppers(std::size_t(m_options.shoppers));
    for (int i = 0; i < m_options.shoppers; ++i) {
        shoppers[i].index = i;
        shoppers[i].username =
            QString(m_options.prefix + QStringLiteral("-%1").arg(i)).toStdString();
        shoppers[i].stage = ShopperFlow::firstAccountStage(m_options.reuse);
    }

    ShopperFlow::Settings flowSettings;
    flowSettings.host = target->host;
    flowSettings.apiPrefix =
        (m_options.shopUrl.path().endsWith(u'/') ? m_options.shopUrl.path().chopped(1)
                                                 : m_options.shopUrl.path())
            .toStdString()
        + "/api";
    flowSettings.password = m_options.password.toStdString();
    flowSettings.attempts = m_options.attempts;
    flowSettings.resolveTimeoutUs = m_options.resolveTimeoutS * 1'000'000LL;
    ShopperFlow accountsFlow(flowSettings);

    LoadDriver::Settings loadSettings;
    loadSettings.threads = m_options.threads;
    loadSettings.concurrency = m_options.concurrency;
    loadSettings.openLoop = m_options.rate > 0;

    // 1. Accounts.
    m_err << "flashsale-bench: " << (m_options.reuse ? "signing in " : "signing up ")
          << m_options.shoppers << " shoppers as " << m_options.prefix << "-N" << Qt::endl;
    const std::int64_t accountsStart = monotonicUs();
    int signedIn = 0;
    {
        LoadDriver accounts(loadSettings, accountsFlow, target.value(), shoppers);
        accounts.start(LoadDriver::Phase::Accounts, accountsStart, accountsStart, false);
        watch(accounts, accountsStart, false);
    }
    const double accountsSeconds = (monotonicUs() - accountsStart) / 1e6;
    for (const Shopper &s : shoppers)
        signedIn += s.stage == Shopper::Stage::Ready;
    if (signedIn == 0)
        return fail(
            QStringLiteral("no shopper could %1 at %2 (is it the shoppers' site, and is "
                           "--reuse right?)")
                .arg(m_options.reuse ? QStringLiteral("sign in") : QStringLiteral("sign up"),
                     m_options.shopUrl.toString()));
    if (signedIn < m_options.shoppers)
        m_err << "flashsale-bench: " << m_options.shoppers - signedIn << " shoppers could not sign "
              << (m_options.reuse ? "in" : "up") << Qt::endl;

    // 2. The sale.
    const Result<SaleStatus> sale =
        m_options.goodsId > 0 ? Result<SaleStatus>(given) : prepareSale(m_clockOffsetMs);
    if (!sale)
        return fail(sale.error());
    m_goodsId = sale->goodsId;
    m_lastSale = sale.value();
    const std::int64_t revealUs = localUs(sale->revealAt);
    m_startUs = localUs(sale->startAt);
    flowSettings.goodsId = m_goodsId;
    flowSettings.endUs = localUs(sale->endAt);
    const ShopperFlow saleFlow(flowSettings);
    for (Shopper &s : shoppers)
        s.buyAtUs = m_options.rate > 0 ? m_startUs + std::int64_t(s.index * 1e6 / m_options.rate)
                                       : m_startUs;
    const QString mode = m_options.rate > 0
        ? QStringLiteral("open loop at %1 first buys/s (%2 connections at most)")
              .arg(m_options.rate)
              .arg(m_options.concurrency)
        : QStringLiteral("closed loop, %1 connections").arg(m_options.concurrency);
    m_err << "flashsale-bench: sale of product " << m_goodsId << ", " << sale->preloadedStock
          << " units, revealed at " << sale->revealAt.toString(Qt::ISODateWithMs) << ", starts at "
          << sale->startAt.toString(Qt::ISODateWithMs) << "; " << mode << Qt::endl;

    const double cpuBefore = processCpuUs();
    LoadDriver load(loadSettings, saleFlow, target.value(), shoppers);
    load.start(LoadDriver::Phase::Sale, revealUs, m_startUs, sale->challengeBits > 0);
    const std::int64_t saleBegan = std::max(monotonicUs(), revealUs);
    std::optional<ChaosMonkey> chaos;
    if (!m_options.chaos.isEmpty()) {
        chaos.emplace(m_options.chaos, m_options.stackDir, m_options.stackScript,
                      m_options.databaseUrl, quint16(m_options.adminUrl.port(80)));
        const std::int64_t start = m_startUs;
        chaos->start(m_options.chaosAtS, m_options.chaosDownS, m_options.chaosGapS,
                     [start] { return (monotonicUs() - start) / 1e6; });
    }
    watch(load, m_startUs, true, chaos ? &*chaos : nullptr);
    const double clientCpuUs = processCpuUs() - cpuBefore - double(load.solveCpuUs());
    const qint64 requestsSent = qint64(load.counters().sent.load());
    const double saleSeconds = (monotonicUs() - saleBegan) / 1e6;

    // 3. Settled: every reservation an order (or failed), then the checks.
    const Result<SaleStatus> settled = settledSale();
    if (!settled)
        return fail(settled.error());
    std::optional<DatabaseFigures> database;
    if (!m_options.databaseUrl.isEmpty()) {
        const Result<DatabaseFigures> figures =
            readDatabaseFigures(m_options.databaseUrl, m_goodsId);
        if (!figures)
            return fail(figures.error());
        database = figures.value();
    }
    {
        SaleSample s;
        s.atS = (monotonicUs() - m_startUs) / 1e6;
        s.stockLeft = settled->stockLeft;
        s.pending = settled->pending;
        s.orders = settled->ordersCreated;
        m_saleSamples.append(s);
    }

    RehearsalReport::Input input;
    input.goodsId = m_goodsId;
    input.preloadedStock = settled->preloadedStock;
    input.challengeBits = settled->challengeBits;
    input.mode = mode;
    input.shoppers = m_options.shoppers;
    input.signedIn = signedIn;
    input.accountsSeconds = accountsSeconds;
    input.saleSeconds = saleSeconds;
    input.revealBeforeStartS = (m_startUs - revealUs) / 1e6;
    input.samples = load.samples();
    input.shoppersState = &shoppers;
    input.saleSamples = m_saleSamples;
    QList<Invariant> invariants = InvariantChecker::check(settled.value(), shoppers, database);
    if (chaos) {
        input.chaos = chaos->events();
        QStringList notBack;
        for (const ChaosEvent &e : input.chaos)
            if (e.backAtS < 0)
                notBack << e.component + QStringLiteral(" (") + e.detail + u')';
        invariants.append(Invariant {
            QStringLiteral("every part killed came back"), notBack.isEmpty(),
            notBack.isEmpty() ? QStringLiteral("%1 killed and restarted").arg(input.chaos.size())
                              : notBack.join(QStringLiteral(", "))});
    }
    input.invariants = invariants;
    input.clientCpuUs = clientCpuUs;
    input.solveCpuUs = double(load.solveCpuUs());
    input.requestsSent = requestsSent;
    const RehearsalReport report(std::move(input));
    m_out << report.text() << Qt::flush;
    if (!m_options.reportDir.isEmpty()) {
        if (const Status written = report.write(m_options.reportDir); !written)
            return fail(written.error());
        m_out << "Report: " << m_options.reportDir << "/report.json, answers.png, latency.png, "
              << "stock.png" << Qt::endl;
    }
    if (InvariantChecker::allHold(invariants))
        return 0;
    QStringList failed;
    for (const Invariant &i : invariants)
        if (!i.holds)
            failed << i.name;
    m_err << "flashsale-bench: invariant broken: " << failed.join(QStringLiteral("; ")) << Qt::endl;
    return 1;
}

} // namespace flashsale::bench
