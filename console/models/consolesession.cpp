#include "consolesession.h"

#include "activitytext.h"
#include "schedulechange.h"
#include "validation.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcConsole, "flashsale.console")

namespace flashsale::console {

using adminapi::AdminClient;

ConsoleSession::ConsoleSession(QObject *parent)
    : QObject(parent)
{
    m_clockTimer.setInterval(1000);
    connect(&m_clockTimer, &QTimer::timeout, this, [this] {
        // Stale figures stay at the moment they were last true.
        if (!m_stale)
            m_products.setNow(serverNow());
    });
    m_clockTimer.start();
    m_staleTimer.setInterval(500);
    connect(&m_staleTimer, &QTimer::timeout, this, &ConsoleSession::checkStale);
    m_staleTimer.start();
    connect(&m_client, &AdminClient::liveChanged, this, &ConsoleSession::checkStale);
    m_refreshTimer.setInterval(15'000);
    connect(&m_refreshTimer, &QTimer::timeout, &m_client, &AdminClient::fetchSales);

    connect(&m_client, &AdminClient::stateChanged, this, [this](AdminClient::State state) {
        if (state == AdminClient::State::Connected) {
            // (Re)connected: what changed while away is fetched once, the feed does the rest.
            m_client.fetchGoods();
            m_client.fetchDegradation();
            m_refreshTimer.start();
        } else {
            m_refreshTimer.stop();
        }
        checkStale();
    });
    connect(&m_client, &AdminClient::goodsListed, this,
            [this](const QList<adminapi::Goods> &goods) {
                m_products.setGoods(goods);
                m_client.fetchSales(); // setGoods dropped sales of products it had not seen
            });
    connect(&m_client, &AdminClient::goodsSaved, this,
            [this](const adminapi::Goods &goods, bool created) {
                m_products.upsertGoods(goods);
                Q_EMIT done(created
                                ? tr("Product %1 '%2' created").arg(goods.goodsId).arg(goods.name)
                                : tr("Product %1 '%2' saved").arg(goods.goodsId).arg(goods.name));
                // No fetchSale() here: its answer could arrive after a schedule sent
                // meanwhile and undo it in the table. upsertGoods() shows the new draft.
            });
    connect(&m_client, &AdminClient::salesListed, this,
            [this](const QList<adminapi::SaleStatus> &sales, const QDateTime &serverTime) {
                // A listing asked for before an update can arrive after its answer: keep
                // what the update said for products changed after the listing was made.
                QList<adminapi::SaleStatus> fresh;
                for (const adminapi::SaleStatus &sale : sales) {
                    const QDateTime updated = m_updatedAt.value(sale.goodsId);
                    const int row = m_products.rowOf(sale.goodsId);
                    if (serverTime.isValid() && updated.isValid() && updated > serverTime
                        && row >= 0)
                        fresh.append(m_products.row(row).sale);
                    else
                        fresh.append(sale);
                }
                if (serverTime.isValid())
                    m_clockOffsetMs = QDateTime::currentDateTimeUtc().msecsTo(serverTime);
                m_products.setSales(fresh);
                m_products.setNow(serverNow());
            });
    connect(&m_client, &AdminClient::saleUpdated, this, [this](const adminapi::SaleStatus &sale) {
        m_updatedAt.insert(sale.goodsId, serverNow());
        const int row = m_products.rowOf(sale.goodsId);
        adminapi::SaleStatus before;
        if (row >= 0)
            before = m_products.row(row).sale;
        m_products.upsertSale(sale);
        Q_EMIT done(describeSaleUpdate(before, sale));
    });
    connect(&m_client, &AdminClient::degradationReceived, this, &ConsoleSession::applyDegradation);
    connect(&m_client, &AdminClient::liveStats, this, [this](const adminapi::Stats &stats) {
        m_lastLiveAt = QDateTime::currentDateTimeUtc();
        m_history.append(stats);
        m_products.applyLive(stats);
        if (stats.breakers != m_breakers) {
            m_breakers = stats.breakers;
            Q_EMIT breakersChanged(m_breakers);
        }
        checkStale();
    });
    connect(&m_client, &AdminClient::requestFailed, this, &ConsoleSession::failed);
}

QDateTime ConsoleSession::serverNow() const
{
    return QDateTime::currentDateTimeUtc().addMSecs(m_clockOffsetMs);
}

void ConsoleSession::connectToServer(const QUrl &baseUrl, const QString &token)
{
    // One server, however it is written: "http://host:8081" and "http://host:8081/".
    QString path = baseUrl.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    const QString address = QStringLiteral("%1://%2:%3%4")
                                .arg(baseUrl.scheme().toLower(), baseUrl.host().toLower())
                                .arg(baseUrl.port(baseUrl.scheme() == u"https" ? 443 : 80))
                                .arg(path);
    if (address != m_historyAddress) {
        m_history.clear();
        m_lastLiveAt = {};
        m_historyAddress = address;
    }
    m_address = baseUrl;
    m_token = token;
    m_client.connectToServer(baseUrl, token);
}

bool ConsoleSession::canRefresh() const
{
    return m_client.state() != AdminClient::State::Disconnected || !m_token.isEmpty();
}

void ConsoleSession::setStaleAfter(int ms)
{
    m_staleAfterMs = ms;
    m_staleTimer.setInterval(qBound(20, ms / 4, 500));
}

void ConsoleSession::checkStale()
{
    const bool current = m_client.state() == AdminClient::State::Connected && m_client.isLive()
        && m_lastLiveAt.isValid()
        && m_lastLiveAt.msecsTo(QDateTime::currentDateTimeUtc()) <= m_staleAfterMs;
    // Nothing shown yet (never live): nothing to mark.
    const bool stale = !current && m_lastLiveAt.isValid();
    if (stale == m_stale)
        return;
    m_stale = stale;
    if (!stale)
        m_products.setNow(serverNow());
    m_products.setStaleSince(stale ? m_lastLiveAt : QDateTime());
    Q_EMIT staleChanged(stale, m_lastLiveAt);
}

void ConsoleSession::disconnectFromServer()
{
    m_client.disconnectFromServer();
}

void ConsoleSession::refresh()
{
    if (m_client.state() == AdminClient::State::Connected) {
        m_client.fetchGoods();
        m_client.fetchDegradation();
    } else if (m_address.isValid() && !m_token.isEmpty()) {
        // Unreachable, refused or given up: try now rather than at the next retry.
        m_client.connectToServer(m_address, m_token);
    }
}

QStringList ConsoleSession::createProduct(const adminapi::Goods &goods)
{
    QStringList faults = goodsFaults(goods);
    if (faults.isEmpty())
        m_client.createGoods(goods);
    return faults;
}

QStringList ConsoleSession::updateProduct(const adminapi::Goods &goods)
{
    QStringList faults = goodsFaults(goods);
    if (goods.goodsId <= 0)
        faults.append(tr("Choose a product to edit."));
    if (faults.isEmpty())
        m_client.updateGoods(goods);
    return faults;
}

QStringList ConsoleSession::scheduleSale(qint64 goodsId, const adminapi::SaleSchedule &schedule)
{
    const QDateTime now = serverNow();
    adminapi::SaleStatus current;
    current.goodsId = goodsId;
    if (const int row = m_products.rowOf(goodsId); row >= 0)
        current = m_products.row(row).sale;
    // What the sale's stage keeps (the server refuses the rest with 409 locked).
    const ScheduleChange change = describeScheduleChange(current, schedule, now);
    QStringList faults =
        scheduleFaults(schedule, now, change.revealLocked, change.startLocked) + change.faults;
    if (faults.isEmpty()) {
        qCInfo(lcConsole) << "scheduling sale" << goodsId << "with stock" << schedule.stock;
        m_client.scheduleSale(goodsId, schedule);
    }
    return faults;
}

QStringList ConsoleSession::topUp(qint64 goodsId, qint64 add)
{
    QStringList faults = topUpFaults(add);
    if (faults.isEmpty())
        m_client.addStock(goodsId, add);
    return faults;
}

QStringList ConsoleSession::setRate(qint64 goodsId, double ratePerSecond, qint64 burst)
{
    QStringList faults = rateFaults(ratePerSecond, burst);
    if (faults.isEmpty())
        m_client.setRate(goodsId, ratePerSecond, burst);
    return faults;
}

QStringList ConsoleSession::setDegradation(std::optional<qint64> goodsId, bool on,
                                           const QString &message)
{
    if (on && message.trimmed().isEmpty())
        return {tr("Write the message shoppers will see.")};
    qCInfo(lcConsole) << (on ? "tripping" : "resetting") << "degradation"
                      << (goodsId ? QString::number(*goodsId) : QStringLiteral("site"));
    m_client.setDegradation(goodsId, on, message);
    return {};
}

void ConsoleSession::applyDegradation(const adminapi::Degradation &degradation)
{
    QHash<qint64, QString> names;
    for (const ProductsTableModel::Row &row : m_products.rows())
        names.insert(row.goods.goodsId, row.goods.name);
    // Product trips and resets are logged like the site's (the first answer only sets the
    // scene, unless something is on).
    const QStringList changes = describeDegradationChange(
        m_degradationKnown ? m_degradation : adminapi::Degradation {}, degradation, names);
    m_degradationKnown = true;
    m_degradation = degradation;
    QList<qint64> ids; // setDegraded() changes the rows: do not iterate them meanwhile
    for (const ProductsTableModel::Row &row : m_products.rows())
        ids.append(row.goods.goodsId);
    for (qint64 id : ids) {
        const adminapi::Degradation::Switch s = degradation.forGoods(id);
        if (degradation.site.on)
            m_products.setDegraded(id, true, degradation.site.message);
        else
            m_products.setDegraded(id, s.on, s.message);
    }
    for (const QString &change : changes)
        Q_EMIT done(change);
    Q_EMIT degradationChanged(degradation);
}

} // namespace flashsale::console
