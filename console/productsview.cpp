#include "productsview.h"

#include "productsfiltermodel.h"
#include "productstablemodel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>

namespace flashsale::console {

ProductsView::ProductsView(ProductsTableModel &model, QWidget *parent)
    : QWidget(parent)
{
    m_filter = new ProductsFilterModel(this);
    m_filter->setSourceModel(&model);
    m_text = new QLineEdit(this);
    m_text->setPlaceholderText(tr("Filter by name or id (Ctrl+F)"));
    m_text->setClearButtonEnabled(true);
    m_state = new QComboBox(this);
    m_state->addItem(tr("All states"), -1);
    for (SaleState s : {SaleState::Draft, SaleState::Scheduled, SaleState::Revealed,
                        SaleState::Live, SaleState::SoldOut, SaleState::Ended, SaleState::Degraded})
        m_state->addItem(stateLabel(s), int(s));
    m_table = new QTableView(this);
    m_table->setModel(m_filter);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ProductsTableModel::IdColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->resizeColumnsToContents();

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_text, 1);
    filters->addWidget(new QLabel(tr("State:"), this));
    filters->addWidget(m_state);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(filters);
    layout->addWidget(m_table);

    connect(m_text, &QLineEdit::textChanged, m_filter, &ProductsFilterModel::setText);
    connect(m_state, &QComboBox::currentIndexChanged, this, [this] {
        const int state = m_state->currentData().toInt();
        m_filter->setStates(state < 0 ? QSet<SaleState>() : QSet<SaleState> {SaleState(state)});
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { Q_EMIT selectionChanged(selectedGoodsId()); });
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT activated(index.data(ProductsTableModel::GoodsIdRole).toLongLong());
    });
    // The first rows arriving get readable column widths once.
    connect(&model, &QAbstractItemModel::modelReset, m_table, &QTableView::resizeColumnsToContents);
}

qint64 ProductsView::selectedGoodsId() const
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid())
        return 0;
    return current.data(ProductsTableModel::GoodsIdRole).toLongLong();
}

bool ProductsView::selectGoods(qint64 goodsId)
{
    for (int row = 0; row < m_filter->rowCount(); ++row) {
        const QModelIndex index = m_filter->index(row, 0);
        if (index.data(ProductsTableModel::GoodsIdRole).toLongLong() == goodsId) {
            m_table->setCurrentIndex(index);
            m_table->selectRow(row);
            return true;
        }
    }
    return false;
}

void ProductsView::focusFilter()
{
    m_text->setFocus(Qt::ShortcutFocusReason);
    m_text->selectAll();
}

QByteArray ProductsView::saveHeaderState() const
{
    return m_table->horizontalHeader()->saveState();
}

void ProductsView::restoreHeaderState(const QByteArray &state)
{
    if (!state.isEmpty())
        m_table->horizontalHeader()->restoreState(state);
}

} // namespace flashsale::console
