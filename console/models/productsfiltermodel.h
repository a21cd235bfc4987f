#pragma once

#include "salestate.h"

#include <QSet>
#include <QSortFilterProxyModel>

namespace flashsale::console {

/// Sorts the products table by raw values and filters it by text (name or id) and by state.
class ProductsFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit ProductsFilterModel(QObject *parent = nullptr);

    /// Keeps rows whose name contains \a text (any case) or whose id is \a text.
    void setText(const QString &text);
    /// Keeps rows in one of \a states; empty keeps every state.
    void setStates(const QSet<SaleState> &states);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
    QSet<SaleState> m_states;
};

} // namespace flashsale::console
