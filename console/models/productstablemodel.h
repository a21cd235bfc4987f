#pragma once

#include "adminapi/goods.h"
#include "adminapi/salestatus.h"
#include "adminapi/stats.h"
#include "salestate.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>

namespace flashsale::console {

/// One row per product: its details, its sale and its live figures, merged from
/// GET /admin/goods, GET /admin/sales, sale answers and the live feed. The state and the
/// countdown are derived at now() so they move between server answers.
class ProductsTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    /// The columns, in display order.
    enum Column {
        IdColumn,
        NameColumn,
        PriceColumn,
        FlashPriceColumn,
        PreloadedColumn,
        LeftColumn,
        SoldColumn,
        PendingColumn,
        RevealColumn,
        StartColumn,
        EndColumn,
        StateColumn,
        NextEventColumn,
        RateColumn,
        AcceptedColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    /// Extra roles beyond the Qt ones.
    enum Role {
        SortRole = Qt::UserRole + 1, ///< the raw value to sort by (numbers, times)
        GoodsIdRole, ///< the row's goodsId, in every column
        StateRole, ///< the derived SaleState as int, in every column
    };

    /// One product.
    struct Row
    {
        adminapi::Goods goods; ///< details (description and image only from /admin/goods)
        adminapi::SaleStatus sale; ///< the sale; state "draft" when none is scheduled
    };

    explicit ProductsTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    /// Replaces the details of every product; products not listed are dropped.
    void setGoods(const QList<adminapi::Goods> &goods);
    /// Adds or replaces one product's details.
    void upsertGoods(const adminapi::Goods &goods);
    /// Replaces every sale; products not listed keep their details and become drafts.
    void setSales(const QList<adminapi::SaleStatus> &sales);
    /// Adds or replaces one product's sale.
    void upsertSale(const adminapi::SaleStatus &sale);
    /// Takes the per-product figures of one live message.
    void applyLive(const adminapi::Stats &stats);
    /// Marks which products have their kill switch on (site-wide marks them all).
    void setDegraded(qint64 goodsId, bool on, const QString &message);

    /// Marks every row as last known at \a since (greyed, the state saying since when);
    /// invalid: the figures are live.
    void setStaleSince(const QDateTime &since);
    bool isStale() const { return m_staleSince.isValid(); }

    /// The time states and countdowns are derived at (the wall clock if never set).
    QDateTime now() const;
    /// Moves the model's clock: states and countdowns are refreshed.
    void setNow(const QDateTime &now);

    /// The row of \a goodsId, -1 when absent.
    int rowOf(qint64 goodsId) const;
    const Row &row(int row) const { return m_rows.at(row); }
    const QList<Row> &rows() const { return m_rows; }
    SaleState stateAt(int row) const;

private:
    Row &rowFor(qint64 goodsId);
    void emitRowChanged(int row);
    QVariant display(const Row &row, int column) const;
    QVariant sortValue(const Row &row, int column) const;

    QList<Row> m_rows;
    QDateTime m_now; ///< invalid: use the wall clock
    QDateTime m_staleSince; ///< invalid: live
};

/// "12.34" from 1234 cents.
QString formatCents(qint64 cents);

} // namespace flashsale::console
