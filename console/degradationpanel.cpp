#include "degradationpanel.h"

#include "stats.h"

#include <QAction>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace flashsale::console {

namespace {

QString switchText(bool on, const QString &message)
{
    if (!on)
        return QStringLiteral("<b style='color:#2e7d32'>%1</b>").arg(QObject::tr("Normal"));
    return QStringLiteral("<b style='color:#c62828'>%1</b><br><i>%2</i>")
        .arg(QObject::tr("DEGRADED: buys answer 503"), message.toHtmlEscaped());
}

QToolButton *actionButton(QAction *action, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    return button;
}

} // namespace

DegradationPanel::DegradationPanel(QWidget *parent)
    : QWidget(parent)
{
    m_site = new QLabel(this);
    m_product = new QLabel(this);
    for (QLabel *label : {m_site, m_product}) {
        label->setWordWrap(true);
        label->setTextFormat(Qt::RichText);
    }
    auto *breakers = new QGroupBox(tr("Circuit breakers"), this);
    auto *breakerForm = new QFormLayout(breakers);
    const QMap<QString, QString> names {{QStringLiteral("redis"), tr("Redis")},
                                        {QStringLiteral("rabbitmq"), tr("RabbitMQ")},
                                        {QStringLiteral("postgres"), tr("PostgreSQL")}};
    for (const QString &name : adminapi::Stats::breakerNames()) {
        auto *label = new QLabel(breakers);
        label->setTextFormat(Qt::RichText);
        m_breakers.insert(name, label);
        breakerForm->addRow(names.value(name) + u':', label);
    }
    auto *layout = new QVBoxLayout(this);
    auto *site = new QGroupBox(tr("Whole site"), this);
    (new QVBoxLayout(site))->addWidget(m_site);
    auto *product = new QGroupBox(tr("Selected product"), this);
    (new QVBoxLayout(product))->addWidget(m_product);
    layout->addWidget(site);
    layout->addWidget(product);
    layout->addWidget(breakers);
    layout->addStretch();
    showDegradation({});
    showBreakers({});
}

void DegradationPanel::setActions(QAction *tripSite, QAction *resetSite, QAction *tripProduct,
                                  QAction *resetProduct)
{
    auto addRow = [this](QLabel *label, QAction *trip, QAction *reset) {
        auto *row = new QHBoxLayout;
        row->addWidget(actionButton(trip, this));
        row->addWidget(actionButton(reset, this));
        row->addStretch();
        static_cast<QVBoxLayout *>(label->parentWidget()->layout())->addLayout(row);
    };
    addRow(m_site, tripSite, resetSite);
    addRow(m_product, tripProduct, resetProduct);
}

void DegradationPanel::showDegradation(const adminapi::Degradation &degradation)
{
    m_degradation = degradation;
    m_site->setText(switchText(degradation.site.on, degradation.site.message));
    refreshProduct();
}

void DegradationPanel::showProduct(qint64 goodsId, const QString &name)
{
    m_goodsId = goodsId;
    m_productName = name;
    refreshProduct();
}

void DegradationPanel::refreshProduct()
{
    if (m_goodsId <= 0) {
        m_product->setText(tr("<i>Select a product in the table.</i>"));
        return;
    }
    const adminapi::Degradation::Switch s = m_degradation.forGoods(m_goodsId);
    m_product->setText(QStringLiteral("#%1 %2<br>%3")
                           .arg(m_goodsId)
                           .arg(m_productName.toHtmlEscaped(), switchText(s.on, s.message)));
}

void DegradationPanel::showBreakers(const QMap<QString, QString> &breakers)
{
    for (auto it = m_breakers.begin(); it != m_breakers.end(); ++it) {
        const QString state = breakers.value(it.key());
        QString colour = QStringLiteral("#757575");
        QString text = tr("unknown");
        if (state == u"closed") {
            colour = QStringLiteral("#2e7d32");
            text = tr("closed (healthy)");
        } else if (state == u"half_open") {
            colour = QStringLiteral("#ef6c00");
            text = tr("half open (probing)");
        } else if (state == u"open") {
            colour = QStringLiteral("#c62828");
            text = tr("OPEN (failing fast)");
        }
        it.value()->setText(
            QStringLiteral("<span style='color:%1'>&#9679; %2</span>").arg(colour, text));
    }
}

} // namespace flashsale::console
