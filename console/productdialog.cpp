#include "productdialog.h"

#include "validation.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFontMetrics>
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
    // Wider than the server takes, so a too-large price is said, not silently capped.
    box->setRange(0, 100'000'000'000.0);
    box->setGroupSeparatorShown(true);
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
    m_faults->setObjectName(QStringLiteral("faults"));
    m_faults->setTextFormat(Qt::RichText);
    m_faults->setWordWrap(true);
    // Room for the messages from the start: the dialog does not jump as they come and go.
    m_faults->setMinimumHeight(QFontMetrics(m_faults->font()).lineSpacing() * 3 + 4);
    m_faults->setAlignment(Qt::AlignLeft | Qt::AlignTop);

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
    QStringList lines;
    for (const QString &fault : faults)
        lines.append(
            QStringLiteral("<span style='color:#b3261e'>%1</span>").arg(fault.toHtmlEscaped()));
    for (const QString &warning : goodsWarnings(goods()))
        lines.append(
            QStringLiteral("<span style='color:#8a5a00'>%1</span>").arg(warning.toHtmlEscaped()));
    m_faults->setText(lines.join(QStringLiteral("<br>")));
    m_ok->setEnabled(faults.isEmpty());
}

} // namespace flashsale::console
