#include "ratedialog.h"

#include "consolesession.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

namespace flashsale::console {

RateDialog::RateDialog(const adminapi::SaleStatus &sale, ConsoleSession &session, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_goodsId(sale.goodsId)
{
    setWindowTitle(tr("Rate of '%1'").arg(sale.name));
    m_rate = new QDoubleSpinBox(this);
    m_rate->setRange(0.1, 1'000'000);
    m_rate->setDecimals(1);
    m_rate->setSuffix(tr(" /s"));
    m_rate->setValue(sale.ratePerSecond > 0 ? sale.ratePerSecond : 100);
    m_burst = new QSpinBox(this);
    m_burst->setRange(1, 1'000'000);
    m_burst->setValue(int(qMax<qint64>(1, sale.burst)));
    m_observed = new QLabel(this);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Apply"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *form = new QFormLayout(this);
    form->addRow(tr("Token &rate:"), m_rate);
    form->addRow(tr("&Burst:"), m_burst);
    form->addRow(tr("Accepted now:"), m_observed);
    form->addRow(buttons);
    connect(&session.history(), &LiveHistory::appended, this, &RateDialog::showObserved);
    showObserved();
}

void RateDialog::showObserved()
{
    const int row = m_session.products().rowOf(m_goodsId);
    if (row < 0)
        return;
    const adminapi::SaleStatus &sale = m_session.products().row(row).sale;
    m_observed->setText(tr("%1 /s (set: %2 /s, burst %3)")
                            .arg(sale.acceptedPerSecond, 0, 'f', 1)
                            .arg(sale.ratePerSecond, 0, 'f', 1)
                            .arg(sale.burst));
}

double RateDialog::ratePerSecond() const
{
    return m_rate->value();
}

qint64 RateDialog::burst() const
{
    return m_burst->value();
}

} // namespace flashsale::console
