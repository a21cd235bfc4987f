#include "degradationpanel.h"

#include "adminapi/stats.h"
#include "timeformat.h"

#include <QAction>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace flashsale::console {

namespace {

const QString kStaleColour = QStringLiteral("#9e9e9e");

QString switchText(bool on, const QString &message, bool stale)
{
    if (!on)
        return QStringLiteral("<b style='color:%1'>%2</b>")
            .arg(stale ? kStaleColour : QStringLiteral("#2e7d32"), QObject::tr("Normal"));
    return QStringLiteral("<b style='color:%1'>%2</b><br><i>%3</i>")
        .arg(stale ? kStaleColour : QStringLiteral("#c62828"),
             QObject::tr("DEGRADED: buys answer 503"), message.toHtmlEscaped());
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
    m_stale = new QLabel(this);
    m_stale->setWordWrap(true);
    m_stale->setStyleSheet(QStringLiteral("color: #8c1d18; font-weight: bold"));
    m_stale->hide();
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
    layout->addWidget(m_stale);
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
    refresh();
}

void DegradationPanel::showProduct(qint64 goodsId, const QString &name)
{
    m_goodsId = goodsId;
    m_productName = name;
    refreshProduct();
}

void DegradationPanel::showBreakers(const QMap<QString, QString> &breakers)
{
    m_breakerStates = breakers;
    refresh();
}

void DegradationPanel::showStale(const QDateTime &since)
{
    m_staleSince = since;
    refresh();
}

QString DegradationPanel::productText() const
{
    return m_product->text();
}

QString DegradationPanel::siteText() const
{
    return m_site->text();
}

QString DegradationPanel::breakerText(const QString &name) const
{
    const QLabel *label = m_breakers.value(name);
    return label ? label->text() : QString();
}

void DegradationPanel::refresh()
{
    const bool stale = m_staleSince.isValid();
    m_stale->setVisible(stale);
    if (stale)
        m_stale->setText(tr("No live data since %1: the states below are the last known.")
                             .arg(formatLocalTime(m_staleSince)));
    m_site->setText(switchText(m_degradation.site.on, m_degradation.site.message, stale));
    refreshProduct();
    for (auto it = m_breakers.begin(); it != m_breakers.end(); ++it) {
        const QString state = m_breakerStates.value(it.key());
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
        if (stale && !state.isEmpty()) {
            colour = kStaleColour;
            text = tr("%1, as of %2").arg(text, formatLocalClock(m_staleSince));
        }
        it.value()->setText(
            QStringLiteral("<span style='color:%1'>&#9679; %2</span>").arg(colour, text));
    }
}

void DegradationPanel::refreshProduct()
{
    if (m_goodsId <= 0) {
        m_product->setText(tr("<i>Select a product in the table.</i>"));
        return;
    }
    const bool stale = m_staleSince.isValid();
    const adminapi::Degradation::Switch own = m_degradation.forGoods(m_goodsId);
    QString state;
    if (m_degradation.site.on && !own.on)
        // The site's switch covers every product: the panel must not say "Normal" while the
        // table says "Degraded".
        state = QStringLiteral("<b style='color:%1'>%2</b><br><i>%3</i>")
                    .arg(stale ? kStaleColour : QStringLiteral("#c62828"),
                         tr("DEGRADED by the whole-site switch"),
                         m_degradation.site.message.toHtmlEscaped());
    else
        state = switchText(own.on, own.message, stale);
    if (m_degradation.site.on && own.on)
        state += tr("<br>(the whole-site switch is on too)");
    m_product->setText(
        QStringLiteral("#%1 %2<br>%3").arg(m_goodsId).arg(m_productName.toHtmlEscaped(), state));
}

} // namespace flashsale::console
