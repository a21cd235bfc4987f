#include "productsview.h"

#include "productsfiltermodel.h"
#include "productstablemodel.h"

#include <QComboBox>
#include <QDataStream>
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

    connect(m_text, &QLineEdit::textChanged, this,
            [this](const QString &text) { keepTarget([&] { m_filter->setText(text); }); });
    connect(m_state, &QComboBox::currentIndexChanged, this, [this] {
        const int state = m_state->currentData().toInt();
        keepTarget([&] {
            m_filter->setStates(state < 0 ? QSet<SaleState>() : QSet<SaleState> {SaleState(state)});
        });
    });
    // The target of every product action is the highlighted row, nothing else: clearing
    // the selection or filtering the row away leaves no target.
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ProductsView::announceSelection);
    for (auto signal : {&QAbstractItemModel::rowsRemoved, &QAbstractItemModel::rowsInserted})
        connect(m_filter, signal, this, &ProductsView::announceSelection);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &ProductsView::announceSelection);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &ProductsView::announceSelection);
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT activated(index.data(ProductsTableModel::GoodsIdRole).toLongLong());
    });
    // Columns fit what they show once rows arrive (the table starts empty), except those the
    // operator sized. Later updates only widen them, so a ticking countdown does not jitter.
    QHeaderView *header = m_table->horizontalHeader();
    connect(header, &QHeaderView::sectionResized, this, [this](int section) {
        if (!m_fitting && section != ProductsTableModel::ColumnCount - 1)
            m_userSized.insert(section);
    });
    connect(&model, &QAbstractItemModel::modelReset, this, [this] { fitColumns(false); });
    connect(&model, &QAbstractItemModel::rowsInserted, this, [this] { fitColumns(false); });
    connect(&model, &QAbstractItemModel::dataChanged, this, [this] { fitColumns(true); });
}

void ProductsView::fitColumns(bool widenOnly)
{
    if (m_filter->rowCount() == 0)
        return;
    m_fitting = true;
    QHeaderView *header = m_table->horizontalHeader();
    for (int column = 0; column < ProductsTableModel::ColumnCount - 1; ++column) {
        if (m_userSized.contains(column) || header->isSectionHidden(column))
            continue;
        // Public in QAbstractItemView (QTableView hides it): the widest cell shown.
        const int cells =
            static_cast<const QAbstractItemView *>(m_table)->sizeHintForColumn(column);
        const int wanted = qMax(cells, header->sectionSizeHint(column));
        if (!widenOnly || wanted > header->sectionSize(column))
            header->resizeSection(column, wanted);
    }
    m_fitting = false;
}

void ProductsView::focusStateFilter()
{
    m_state->setFocus(Qt::ShortcutFocusReason);
    m_state->showPopup();
}

void ProductsView::setFilterText(const QString &text)
{
    m_text->setText(text);
}

qint64 ProductsView::selectedGoodsId() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return 0;
    return rows.first().data(ProductsTableModel::GoodsIdRole).toLongLong();
}

void ProductsView::keepTarget(const std::function<void()> &filter)
{
    // Hiding the highlighted row moves Qt's current row to a neighbour, selected: that would
    // silently retarget every product action. The target stays or goes, never moves.
    const qint64 before = selectedGoodsId();
    filter();
    if (selectedGoodsId() != before)
        m_table->clearSelection();
    announceSelection();
}

void ProductsView::announceSelection()
{
    const qint64 goodsId = selectedGoodsId();
    if (goodsId == m_announced)
        return;
    m_announced = goodsId;
    Q_EMIT selectionChanged(goodsId);
}

void ProductsView::clearSelection()
{
    m_table->clearSelection();
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

namespace {
// Header state with the columns the operator sized; a bare header state is from before.
constexpr quint32 kHeaderStateMagic = 0x46534856; // "FSHV"
} // namespace

QByteArray ProductsView::saveHeaderState() const
{
    QByteArray state;
    QDataStream out(&state, QIODevice::WriteOnly);
    out << kHeaderStateMagic << m_table->horizontalHeader()->saveState()
        << QList<int>(m_userSized.cbegin(), m_userSized.cend());
    return state;
}

void ProductsView::restoreHeaderState(const QByteArray &state)
{
    if (state.isEmpty())
        return;
    QDataStream in(state);
    quint32 magic = 0;
    in >> magic;
    QByteArray header = state;
    QList<int> userSized;
    if (magic == kHeaderStateMagic)
        in >> header >> userSized;
    m_fitting = true;
    m_table->horizontalHeader()->restoreState(header);
    m_fitting = false;
    m_userSized = QSet<int>(userSized.cbegin(), userSized.cend());
}

} // namespace flashsale::console
