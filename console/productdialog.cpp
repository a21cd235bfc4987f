#include "productdialog.h"

#include "validation.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>

#include <cmath>

namespace flashsale::console {

namespace {
QDoubleSpinBox *moneyBox(qint64 cents, QWidget *parent)
{
    auto *box = new QDoubleSpinBox(parent);
    box->setDecimals(2);
    box->setRange(0, 10'000'000);
    box->setValue(double(cents) / 100.0);
    return box;
}
} // namespace

ProductDialog::ProductDialog(const adminapi::Goods &goods, QWidget *parent)
    : QDialog(parent)
    , m_goodsId(goods.goodsId)
{
    setWindowTitle(goods.goodsId ? tr("Edit product %1").arg(goods.goodsId) : tr("New product"));
    m_name = new QLineEdit(goods.name, this);
    m_description = new QPlainTextEdit(goods.description, this);
    m_description->setTabChangesFocus(true);
    m_image = new QLineEdit(goods.image, this);
    m_image->setPlaceholderText(QStringLiteral("/images/phone.png"));
    m_price = moneyBox(goods.priceCents, this);
    m_flashPrice = moneyBox(goods.flashPriceCents, this);
    m_faults = new QLabel(this);
    m_faults->setStyleSheet(QStringLiteral("color: #b3261e"));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(goods.goodsId ? tr("Save") : tr("Create"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *form = new QFormLayout(this);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Description:"), m_description);
    form->addRow(tr("&Image URL:"), m_image);
    form->addRow(tr("&Price:"), m_price);
    form->addRow(tr("&Flash price:"), m_flashPrice);
    form->addRow(m_faults);
    form->addRow(buttons);

    connect(m_name, &QLineEdit::textChanged, this, &ProductDialog::check);
    connect(m_price, &QDoubleSpinBox::valueChanged, this, &ProductDialog::check);
    connect(m_flashPrice, &QDoubleSpinBox::valueChanged, this, &ProductDialog::check);
    check();
}

adminapi::Goods ProductDialog::goods() const
{
    adminapi::Goods g;
    g.goodsId = m_goodsId;
    g.name = m_name->text().trimmed();
    g.description = m_description->toPlainText();
    g.image = m_image->text().trimmed();
    g.priceCents = std::llround(m_price->value() * 100);
    g.flashPriceCents = std::llround(m_flashPrice->value() * 100);
    return g;
}

void ProductDialog::check()
{
    const QStringList faults = goodsFaults(goods());
    m_faults->setText(faults.join(u'\n'));
    m_faults->setVisible(!faults.isEmpty());
    m_ok->setEnabled(faults.isEmpty());
}

} // namespace flashsale::console
