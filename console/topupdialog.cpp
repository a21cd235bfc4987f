#include "topupdialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

namespace flashsale::console {

TopUpDialog::TopUpDialog(const adminapi::SaleStatus &sale, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Top up '%1'").arg(sale.name));
    m_add = new QSpinBox(this);
    m_add->setRange(1, 1'000'000'000);
    m_add->setValue(100);
    m_add->setGroupSeparatorShown(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Add stock"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *form = new QFormLayout(this);
    form->addRow(tr("Now:"),
                 new QLabel(tr("%1 left of %2 preloaded, %3 sold, %4 pending")
                                .arg(sale.stockLeft)
                                .arg(sale.preloadedStock)
                                .arg(sale.ordersCreated)
                                .arg(sale.pending),
                            this));
    form->addRow(tr("&Units to add:"), m_add);
    form->addRow(buttons);
}

qint64 TopUpDialog::add() const
{
    return m_add->value();
}

} // namespace flashsale::console
