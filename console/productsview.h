#pragma once

#include <QWidget>

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
    /// The selected product's goodsId, 0 when none.
    qint64 selectedGoodsId() const;
    /// Selects the row of \a goodsId; false if it is not shown.
    bool selectGoods(qint64 goodsId);
    /// Puts the keyboard focus in the text filter.
    void focusFilter();

    QByteArray saveHeaderState() const;
    void restoreHeaderState(const QByteArray &state);

Q_SIGNALS:
    /// The selection moved to \a goodsId (0: nothing selected).
    void selectionChanged(qint64 goodsId);
    /// A row was double-clicked or Enter pressed on it.
    void activated(qint64 goodsId);

private:
    ProductsFilterModel *m_filter = nullptr;
    QLineEdit *m_text = nullptr;
    QComboBox *m_state = nullptr;
    QTableView *m_table = nullptr;
};

} // namespace flashsale::console
