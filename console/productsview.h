#pragma once

#include <QSet>
#include <QWidget>

#include <functional>

class QComboBox;
class QLineEdit;
class QTableView;

namespace flashsale::console {

class ProductsFilterModel;
class ProductsTableModel;

/// The products table with a text filter and a state filter above it.
class ProductsView : public QWidget
{
    Q_OBJECT
public:
    ProductsView(ProductsTableModel &model, QWidget *parent = nullptr);

    QTableView *table() const { return m_table; }
    /// The highlighted product's goodsId, 0 when no row is highlighted (the keyboard's
    /// current cell alone does not count: it stays when the selection is cleared).
    qint64 selectedGoodsId() const;
    void clearSelection();
    /// Selects the row of \a goodsId; false if it is not shown.
    bool selectGoods(qint64 goodsId);
    /// Puts the keyboard focus in the text filter.
    void focusFilter();
    /// Opens the state filter.
    void focusStateFilter();
    void setFilterText(const QString &text);

    QByteArray saveHeaderState() const;
    void restoreHeaderState(const QByteArray &state);

Q_SIGNALS:
    /// The selection moved to \a goodsId (0: nothing selected).
    void selectionChanged(qint64 goodsId);
    /// A row was double-clicked or Enter pressed on it.
    void activated(qint64 goodsId);

private:
    void announceSelection();
    /// Runs \a filter; a highlighted row it hides is unselected, not replaced by another.
    void keepTarget(const std::function<void()> &filter);
    /// Sizes the columns the operator has not sized to their content (\a widenOnly: never
    /// narrower than now).
    void fitColumns(bool widenOnly);

    QSet<int> m_userSized; ///< columns the operator resized: never fitted again
    bool m_fitting = false; ///< resizing by program, not by the operator
    qint64 m_announced = 0; ///< the goodsId selectionChanged() last announced
    ProductsFilterModel *m_filter = nullptr;
    QLineEdit *m_text = nullptr;
    QComboBox *m_state = nullptr;
    QTableView *m_table = nullptr;
};

} // namespace flashsale::console
