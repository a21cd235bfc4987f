#include "livechartsview.h"

#include "figuressummary.h"
#include "livehistory.h"
#include "productstablemodel.h"

#include <QChart>
#include <QChartView>
#include <QDateTimeAxis>
#include <QDir>
#include <QGridLayout>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QTimer>
#include <QValueAxis>

namespace flashsale::console {

namespace {

enum { RequestsPanel, OrdersPanel, StockPanel, QueuePanel, LatencyPanel, OrderLagPanel };

double peakOf(const QLineSeries *series)
{
    double peak = 0;
    for (const QPointF &p : series->points())
        peak = qMax(peak, p.y());
    return peak;
}

// Good news green, the limiters' pushback in yellows and oranges, refusals in reds.
QColor outcomeColour(const QString &outcome)
{
    static const QMap<QString, QColor> colours {
        {QStringLiteral("queued"), QColor(0x2e, 0x7d, 0x32)},
        {QStringLiteral("sold_out"), QColor(0x6a, 0x1b, 0x9a)},
        {QStringLiteral("duplicate"), QColor(0x00, 0x83, 0x8f)},
        {QStringLiteral("too_frequent"), QColor(0xf9, 0xa8, 0x25)},
        {QStringLiteral("rate_limited"), QColor(0xef, 0x6c, 0x00)},
        {QStringLiteral("degraded"), QColor(0xc6, 0x28, 0x28)},
        {QStringLiteral("rejected"), QColor(0x75, 0x75, 0x75)},
        {QStringLiteral("error"), QColor(0x4e, 0x34, 0x2e)},
    };
    return colours.value(outcome, Qt::black);
}

QString outcomeLabel(const QString &outcome)
{
    QString label = outcome;
    label.replace(u'_', u' ');
    label[0] = label[0].toUpper();
    return label;
}

// Distinct hues for products, in a fixed order so a product keeps its colour.
QColor productColour(int index)
{
    static const QList<QColor> palette {QColor(0x15, 0x65, 0xc0), QColor(0xd8, 0x1b, 0x60),
                                        QColor(0x00, 0x89, 0x7b), QColor(0xf4, 0x51, 0x1e),
                                        QColor(0x5e, 0x35, 0xb1), QColor(0x7c, 0xb3, 0x42),
                                        QColor(0x6d, 0x4c, 0x41), QColor(0x00, 0xac, 0xc1)};
    return palette.at(index % palette.size());
}

} // namespace

LiveChartsView::LiveChartsView(const LiveHistory &history, const ProductsTableModel &products,
                               QWidget *parent)
    : QWidget(parent)
    , m_history(history)
    , m_products(products)
{
    m_panels.append(makePanel(tr("Buy requests per second, by outcome"), tr("requests / s"),
                              QStringLiteral("requests.png")));
    m_panels.append(
        makePanel(tr("Orders created per second"), tr("orders / s"), QStringLiteral("orders.png")));
    m_panels.append(
        makePanel(tr("Stock left per product"), tr("units"), QStringLiteral("stock.png")));
    m_panels.append(
        makePanel(tr("Order queue depth"), tr("messages"), QStringLiteral("queue.png")));
    m_panels.append(
        makePanel(tr("Buy latency, whole site"), tr("ms"), QStringLiteral("latency.png")));
    m_panels.append(makePanel(tr("Order lag: reservation to committed order"), tr("ms"),
                              QStringLiteral("orderlag.png")));
    // Eight outcomes and many products do not fit below a chart: their legends go right.
    m_panels[RequestsPanel].view->chart()->legend()->setAlignment(Qt::AlignRight);
    m_panels[StockPanel].view->chart()->legend()->setAlignment(Qt::AlignRight);
    // Their plots are narrower: fewer time labels so none is elided.
    m_panels[RequestsPanel].time->setTickCount(4);
    m_panels[StockPanel].time->setTickCount(4);
    for (const QString &outcome : adminapi::Stats::outcomes())
        m_requests.insert(
            outcome,
            addSeries(m_panels[RequestsPanel], outcomeLabel(outcome), outcomeColour(outcome)));
    m_orders = addSeries(m_panels[OrdersPanel], tr("Orders"), QColor(0x15, 0x65, 0xc0));
    m_queue = addSeries(m_panels[QueuePanel], tr("Waiting in RabbitMQ"), QColor(0x6d, 0x4c, 0x41));
    m_deadLetters = addSeries(m_panels[QueuePanel], tr("Dead letters"), QColor(0xc6, 0x28, 0x28));
    m_latencyP50 = addSeries(m_panels[LatencyPanel], tr("p50"), QColor(0x15, 0x65, 0xc0));
    m_latencyP99 = addSeries(m_panels[LatencyPanel], tr("p99"), QColor(0xef, 0x6c, 0x00));
    m_orderLagP50 = addSeries(m_panels[OrderLagPanel], tr("p50"), QColor(0x15, 0x65, 0xc0));
    m_orderLagP99 = addSeries(m_panels[OrderLagPanel], tr("p99"), QColor(0xef, 0x6c, 0x00));

    m_summary = new QLabel(this);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(m_summary, 0, 0, 1, 3);
    for (int i = 0; i < m_panels.size(); ++i)
        grid->addWidget(m_panels.at(i).view, 1 + i / 3, i % 3);
    connect(&history, &LiveHistory::appended, this, &LiveChartsView::redraw);
    m_summaryTimer = new QTimer(this);
    connect(m_summaryTimer, &QTimer::timeout, this, &LiveChartsView::updateSummary);
    m_summaryTimer->start(1000);
    redraw();
}

LiveChartsView::Panel LiveChartsView::makePanel(const QString &title, const QString &valueTitle,
                                                const QString &fileName)
{
    Panel panel;
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    panel.time = new QDateTimeAxis(chart);
    panel.time->setFormat(QStringLiteral("HH:mm:ss"));
    panel.time->setTitleText(tr("time (last 5 minutes)"));
    panel.time->setTickCount(6);
    panel.values = new QValueAxis(chart);
    panel.values->setTitleText(valueTitle);
    panel.values->setLabelFormat(QStringLiteral("%.0f"));
    panel.values->setMin(0);
    chart->addAxis(panel.time, Qt::AlignBottom);
    chart->addAxis(panel.values, Qt::AlignLeft);
    panel.view = new QChartView(chart, this);
    panel.view->setRenderHint(QPainter::Antialiasing);
    // Three charts a row, two rows: the table above them still fits a laptop screen.
    panel.view->setMinimumSize(280, 240);
    panel.fileName = fileName;
    return panel;
}

QLineSeries *LiveChartsView::addSeries(Panel &panel, const QString &name, const QColor &colour)
{
    auto *series = new QLineSeries(panel.view->chart());
    series->setName(name);
    QPen pen(colour);
    pen.setWidthF(2);
    series->setPen(pen);
    panel.view->chart()->addSeries(series);
    series->attachAxis(panel.time);
    series->attachAxis(panel.values);
    return series;
}

void LiveChartsView::redraw()
{
    // Product series come and go with the products the feed reports.
    const QMap<qint64, RollingSeries> &stock = m_history.stock();
    for (auto it = stock.begin(); it != stock.end(); ++it) {
        if (!m_stock.contains(it.key())) {
            const int row = m_products.rowOf(it.key());
            const QString name = row >= 0 ? m_products.row(row).goods.name : QString();
            m_stock.insert(it.key(),
                           addSeries(m_panels[StockPanel],
                                     name.isEmpty() ? tr("#%1").arg(it.key())
                                                    : tr("#%1 %2").arg(it.key()).arg(name),
                                     productColour(int(m_stock.size()))));
        }
        m_stock.value(it.key())->replace(it.value().points());
    }
    double requestMax = 0;
    for (auto it = m_requests.begin(); it != m_requests.end(); ++it) {
        const RollingSeries &series = m_history.requests(it.key());
        it.value()->replace(series.points());
        requestMax = qMax(requestMax, series.maximum());
    }
    m_orders->replace(m_history.orders().points());
    m_queue->replace(m_history.queueDepth().points());
    m_deadLetters->replace(m_history.deadLetters().points());
    m_latencyP50->replace(m_history.latencyP50().points());
    m_latencyP99->replace(m_history.latencyP99().points());
    m_orderLagP50->replace(m_history.orderLagP50().points());
    m_orderLagP99->replace(m_history.orderLagP99().points());
    double stockMax = 0;
    for (const RollingSeries &series : stock)
        stockMax = qMax(stockMax, series.maximum());

    const QList<double> maxima {
        requestMax,
        m_history.orders().maximum(),
        stockMax,
        qMax(m_history.queueDepth().maximum(), m_history.deadLetters().maximum()),
        m_history.latencyP99().maximum(),
        m_history.orderLagP99().maximum()};
    // Five minutes wide: filling from the left while younger than that (so the first
    // seconds are readable), then scrolling with the newest sample at the right edge.
    QDateTime start = QDateTime::currentDateTime().addSecs(-5 * 60);
    if (m_history.lastSample().isValid())
        start = qMax(m_history.firstSample(), m_history.lastSample().addSecs(-5 * 60));
    const QDateTime end = start.addSecs(5 * 60);
    for (int i = 0; i < m_panels.size(); ++i) {
        m_panels[i].time->setRange(start, end);
        // Headroom above the peak, and never a zero-height axis.
        m_panels[i].values->setMax(qMax(5.0, maxima.at(i) * 1.15));
        m_panels[i].values->applyNiceNumbers();
        m_panels[i].values->setMin(0);
    }
    updateSummary();
}

void LiveChartsView::updateSummary()
{
    const QDateTime last = m_history.lastSample();
    const qint64 age = last.isValid() ? last.msecsTo(QDateTime::currentDateTimeUtc()) : 0;
    m_summary->setText(figuresSummary(m_history.latest(), age));
}

QString LiveChartsView::summaryText() const
{
    return m_summary->text();
}

double LiveChartsView::ordersPeak() const
{
    return peakOf(m_orders);
}

double LiveChartsView::queuePeak() const
{
    return peakOf(m_queue);
}

qsizetype LiveChartsView::requestPoints() const
{
    return m_requests.value(QStringLiteral("queued"))->count();
}

Status LiveChartsView::saveImages(const QString &directory) const
{
    if (!QDir().mkpath(directory))
        return Status::failure(tr("cannot create the folder %1").arg(directory));
    for (const Panel &panel : m_panels) {
        const QString path = QDir(directory).filePath(panel.fileName);
        if (!panel.view->grab().save(path, "PNG"))
            return Status::failure(tr("cannot write %1").arg(path));
    }
    return Status::success();
}

} // namespace flashsale::console
