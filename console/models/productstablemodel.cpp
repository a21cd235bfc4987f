#include "productstablemodel.h"

#include "timeformat.h"

#include <QLocale>

namespace flashsale::console {

namespace {

QString formatTime(const QDateTime &time)
{
    // Operators plan in their own time zone, shown with it; the API speaks UTC.
    return formatLocalTime(time);
}

// Stale rows: readable, but plainly not live.
const QColor kStaleText(0x75, 0x75, 0x75);
const QColor kStaleBackground(0xe0, 0xe0, 0xe0);

} // namespace

QString formatCents(qint64 cents)
{
    const QString sign = cents < 0 ? QStringLiteral("-") : QString();
    cents = qAbs(cents);
    return QStringLiteral("%1%2.%3")
        .arg(sign)
        .arg(cents / 100)
        .arg(cents % 100, 2, 10, QLatin1Char('0'));
}

ProductsTableModel::ProductsTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

int ProductsTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ProductsTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QDateTime ProductsTableModel::now() const
{
    return m_now.isValid() ? m_now : QDateTime::currentDateTimeUtc();
}

void ProductsTableModel::setNow(const QDateTime &now)
{
    m_now = now;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

SaleState ProductsTableModel::stateAt(int row) const
{
    return deriveState(m_rows.at(row).sale, now());
}

QVariant ProductsTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(row, index.column());
    case SortRole:
        return sortValue(row, index.column());
    case GoodsIdRole:
        return row.goods.goodsId;
    case StateRole:
        return int(deriveState(row.sale, now()));
    case Qt::BackgroundRole:
        if (index.column() == StateColumn)
            return isStale() ? kStaleBackground : stateColor(deriveState(row.sale, now()));
        return {};
    case Qt::ForegroundRole:
        if (isStale())
            return kStaleText;
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == NameColumn || index.column() == StateColumn)
            return int(Qt::AlignLeft | Qt::AlignVCenter);
        return int(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ToolTipRole:
        if (isStale())
            return tr("No live data since %1: these are the last figures received")
                .arg(formatLocalTime(m_staleSince));
        if (index.column() == StateColumn && row.sale.degraded)
            return tr("Shoppers see: %1").arg(row.sale.degradedMessage);
        if (index.column() == NameColumn)
            return row.goods.description;
        return {};
    default:
        return {};
    }
}

QVariant ProductsTableModel::display(const Row &row, int column) const
{
    const adminapi::SaleStatus &s = row.sale;
    switch (column) {
    case IdColumn:
        return row.goods.goodsId;
    case NameColumn:
        return row.goods.name;
    case PriceColumn:
        return formatCents(row.goods.priceCents);
    case FlashPriceColumn:
        return formatCents(row.goods.flashPriceCents);
    case PreloadedColumn:
        return s.preloadedStock;
    case LeftColumn:
        return s.stockLeft;
    case SoldColumn:
        return s.ordersCreated;
    case PendingColumn:
        return s.pending;
    case RevealColumn:
        return formatTime(s.revealAt);
    case StartColumn:
        return formatTime(s.startAt);
    case EndColumn:
        return formatTime(s.endAt);
    case StateColumn:
        if (isStale())
            return tr("%1 (as of %2)")
                .arg(stateLabel(deriveState(s, now())), formatLocalClock(m_staleSince));
        return stateLabel(deriveState(s, now()));
    case NextEventColumn: {
        const NextEvent next = nextEvent(s, now());
        if (!next.at.isValid())
            return QStringLiteral("-");
        if (isStale())
            return tr("%1 at %2").arg(next.label, formatLocalTime(next.at));
        return tr("%1 in %2").arg(next.label, formatCountdown(now().secsTo(next.at)));
    }
    case RateColumn:
        if (!s.isScheduled())
            return QStringLiteral("-");
        return tr("%1/s (burst %2)")
            .arg(QLocale::c().toString(s.ratePerSecond, 'g', 6))
            .arg(s.burst);
    case AcceptedColumn:
        return QLocale::c().toString(s.acceptedPerSecond, 'f', 1);
    }
    return {};
}

QVariant ProductsTableModel::sortValue(const Row &row, int column) const
{
    const adminapi::SaleStatus &s = row.sale;
    switch (column) {
    case IdColumn:
        return row.goods.goodsId;
    case NameColumn:
        return row.goods.name.toLower();
    case PriceColumn:
        return row.goods.priceCents;
    case FlashPriceColumn:
        return row.goods.flashPriceCents;
    case PreloadedColumn:
        return s.preloadedStock;
    case LeftColumn:
        return s.stockLeft;
    case SoldColumn:
        return s.ordersCreated;
    case PendingColumn:
        return s.pending;
    // Unscheduled sales sort after every scheduled one, both ways round they stay together.
    case RevealColumn:
        return s.revealAt.isValid() ? s.revealAt.toMSecsSinceEpoch() : qint64(0);
    case StartColumn:
        return s.startAt.isValid() ? s.startAt.toMSecsSinceEpoch() : qint64(0);
    case EndColumn:
        return s.endAt.isValid() ? s.endAt.toMSecsSinceEpoch() : qint64(0);
    case StateColumn:
        return int(deriveState(s, now()));
    case NextEventColumn: {
        const NextEvent next = nextEvent(s, now());
        return next.at.isValid() ? now().msecsTo(next.at) : std::numeric_limits<qint64>::max();
    }
    case RateColumn:
        return s.ratePerSecond;
    case AcceptedColumn:
        return s.acceptedPerSecond;
    }
    return {};
}

QVariant ProductsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case PreloadedColumn:
            return tr("Units loaded into the sale, top-ups included");
        case LeftColumn:
            return tr("Units left in Redis");
        case SoldColumn:
            return tr("Orders created in the database");
        case PendingColumn:
            return tr("Reservations not yet orders");
        case NextEventColumn:
            return tr("Countdown to the next reveal, start or end");
        case AcceptedColumn:
            return tr("Buys accepted per second, observed");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IdColumn:
        return tr("Id");
    case NameColumn:
        return tr("Product");
    case PriceColumn:
        return tr("Price");
    case FlashPriceColumn:
        return tr("Flash price");
    case PreloadedColumn:
        return tr("Preloaded");
    case LeftColumn:
        return tr("Left");
    case SoldColumn:
        return tr("Sold");
    case PendingColumn:
        return tr("Pending");
    case RevealColumn:
        return tr("Reveal");
    case StartColumn:
        return tr("Start");
    case EndColumn:
        return tr("End");
    case StateColumn:
        return tr("State");
    case NextEventColumn:
        return tr("Next");
    case RateColumn:
        return tr("Rate");
    case AcceptedColumn:
        return tr("Accepted/s");
    }
    return {};
}

void ProductsTableModel::setStaleSince(const QDateTime &since)
{
    m_staleSince = since;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int ProductsTableModel::rowOf(qint64 goodsId) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).goods.goodsId == goodsId)
            return i;
    }
    return -1;
}

ProductsTableModel::Row &ProductsTableModel::rowFor(qint64 goodsId)
{
    const int existing = rowOf(goodsId);
    if (existing >= 0)
        return m_rows[existing];
    const int at = int(m_rows.size());
    beginInsertRows({}, at, at);
    Row row;
    row.goods.goodsId = goodsId;
    row.sale.goodsId = goodsId;
    row.sale.state = stateName(SaleState::Draft);
    m_rows.append(row);
    endInsertRows();
    return m_rows[at];
}

void ProductsTableModel::emitRowChanged(int row)
{
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void ProductsTableModel::setGoods(const QList<adminapi::Goods> &goods)
{
    beginResetModel();
    QList<Row> rows;
    for (const adminapi::Goods &g : goods) {
        const int existing = rowOf(g.goodsId);
        Row row;
        if (existing >= 0) {
            row = m_rows.at(existing);
        } else {
            row.sale.goodsId = g.goodsId;
            row.sale.state = stateName(SaleState::Draft);
        }
        row.goods = g;
        rows.append(row);
    }
    m_rows = rows;
    endResetModel();
}

void ProductsTableModel::upsertGoods(const adminapi::Goods &goods)
{
    Row &row = rowFor(goods.goodsId);
    row.goods = goods;
    row.sale.name = goods.name;
    row.sale.priceCents = goods.priceCents;
    row.sale.flashPriceCents = goods.flashPriceCents;
    emitRowChanged(rowOf(goods.goodsId));
}

void ProductsTableModel::setSales(const QList<adminapi::SaleStatus> &sales)
{
    QList<qint64> listed;
    for (const adminapi::SaleStatus &sale : sales) {
        upsertSale(sale);
        listed.append(sale.goodsId);
    }
    for (int i = 0; i < m_rows.size(); ++i) {
        Row &row = m_rows[i];
        if (listed.contains(row.goods.goodsId))
            continue;
        adminapi::SaleStatus draft;
        draft.goodsId = row.goods.goodsId;
        draft.name = row.goods.name;
        draft.priceCents = row.goods.priceCents;
        draft.flashPriceCents = row.goods.flashPriceCents;
        draft.state = stateName(SaleState::Draft);
        row.sale = draft;
        emitRowChanged(i);
    }
}

void ProductsTableModel::upsertSale(const adminapi::SaleStatus &sale)
{
    Row &row = rowFor(sale.goodsId);
    row.sale = sale;
    // A SaleStatus carries the product's name and prices too; /admin/goods may not have
    // answered yet.
    row.goods.name = sale.name;
    row.goods.priceCents = sale.priceCents;
    row.goods.flashPriceCents = sale.flashPriceCents;
    emitRowChanged(rowOf(sale.goodsId));
}

void ProductsTableModel::applyLive(const adminapi::Stats &stats)
{
    for (const adminapi::Stats::Sale &live : stats.sales) {
        const int i = rowOf(live.goodsId);
        if (i < 0)
            continue; // a product created elsewhere: the next listing brings its details
        adminapi::SaleStatus &sale = m_rows[i].sale;
        sale.stockLeft = live.stockLeft;
        sale.pending = live.pending;
        sale.ordersCreated = live.ordersCreated;
        sale.acceptedPerSecond = live.acceptedPerSecond;
        emitRowChanged(i);
    }
}

void ProductsTableModel::setDegraded(qint64 goodsId, bool on, const QString &message)
{
    const int i = rowOf(goodsId);
    if (i < 0)
        return;
    m_rows[i].sale.degraded = on;
    m_rows[i].sale.degradedMessage = message;
    emitRowChanged(i);
}

} // namespace flashsale::console
