#include "productsfiltermodel.h"

#include "productstablemodel.h"

namespace flashsale::console {

ProductsFilterModel::ProductsFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(ProductsTableModel::SortRole);
    // Live updates change states every second; keep the view filtered and sorted.
    setDynamicSortFilter(true);
}

void ProductsFilterModel::setText(const QString &text)
{
    m_text = text.trimmed();
    invalidateFilter();
}

void ProductsFilterModel::setStates(const QSet<SaleState> &states)
{
    m_states = states;
    invalidateFilter();
}

bool ProductsFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *source = sourceModel();
    const QModelIndex nameIndex =
        source->index(sourceRow, ProductsTableModel::NameColumn, sourceParent);
    if (!m_states.isEmpty()) {
        const auto state =
            SaleState(source->data(nameIndex, ProductsTableModel::StateRole).toInt());
        if (!m_states.contains(state))
            return false;
    }
    if (m_text.isEmpty())
        return true;
    if (source->data(nameIndex).toString().contains(m_text, Qt::CaseInsensitive))
        return true;
    return source->data(nameIndex, ProductsTableModel::GoodsIdRole).toString() == m_text;
}

} // namespace flashsale::console
