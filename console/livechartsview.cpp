#include "livechartsview.h"

#include "chartstyle.h"
#include "figuressummary.h"
#include "livehistory.h"
#include "productstablemodel.h"
#include "timeformat.h"

#include <QChart>
#include <QChartView>
#include <QDateTimeAxis>
#include <QDir>
#include <QGridLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QTimer>
#include <QValueAxis>

namespace flashsale::console {

namespace {

enum { RequestsPanel, OrdersPanel, StockPanel, QueuePanel, LatencyPanel, OrderLagPanel };

double peakOf(const QList<QLineSeries *> &parts)
{
    double peak = 0;
    for (const QLineSeries *series : parts)
        for (const QPointF &p : series->points())
            peak = qMax(peak, p.y());
    return peak;
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
    // One line: the title names it, and the legend's height goes to the plot.
    m_panels[OrdersPanel].view->chart()->legend()->hide();
    // Their plots are narrower: fewer time labels so none is elided.
    m_panels[RequestsPanel].time->setTickCount(4);
    m_panels[StockPanel].time->setTickCount(4);
    for (const QString &outcome : adminapi::Stats::outcomes())
        m_requests.insert(
            outcome,
            {addSeries(m_panels[RequestsPanel], outcomeLabel(outcome), outcomeColour(outcome))});
    m_orders = {addSeries(m_panels[OrdersPanel], tr("Orders"), QColor(0x15, 0x65, 0xc0))};
    m_queue = {
        addSeries(m_panels[QueuePanel], tr("Waiting in RabbitMQ"), QColor(0x6d, 0x4c, 0x41))};
    m_deadLetters = {addSeries(m_panels[QueuePanel], tr("Dead letters"), QColor(0xc6, 0x28, 0x28))};
    m_latencyP50 = {addSeries(m_panels[LatencyPanel], tr("p50"), QColor(0x15, 0x65, 0xc0))};
    m_latencyP99 = {addSeries(m_panels[LatencyPanel], tr("p99"), QColor(0xef, 0x6c, 0x00))};
    m_orderLagP50 = {addSeries(m_panels[OrderLagPanel], tr("p50"), QColor(0x15, 0x65, 0xc0))};
    m_orderLagP99 = {addSeries(m_panels[OrderLagPanel], tr("p99"), QColor(0xef, 0x6c, 0x00))};

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
    // Compact type: eight outcomes and their figures must fit a 1024x700 window.
    QFont small = chart->legend()->font();
    small.setPointSizeF(qMax(6.0, small.pointSizeF() * 0.85));
    chart->legend()->setFont(small);
    chart->setTitleFont(small);
    chart->setMargins(QMargins(2, 2, 2, 2));
    chart->legend()->setContentsMargins(0, 0, 0, 0);
    panel.time = new QDateTimeAxis(chart);
    panel.time->setFormat(QStringLiteral("HH:mm:ss"));
    panel.time->setTitleText(tr("last 5 min, %1").arg(localZoneOffset()));
    panel.time->setTickCount(6);
    panel.values = new QValueAxis(chart);
    panel.values->setTitleText(valueTitle);
    for (QAbstractAxis *axis :
         {static_cast<QAbstractAxis *>(panel.time), static_cast<QAbstractAxis *>(panel.values)}) {
        axis->setLabelsFont(small);
        axis->setTitleFont(small);
    }
    panel.values->setLabelFormat(QStringLiteral("%.0f"));
    panel.values->setMin(0);
    chart->addAxis(panel.time, Qt::AlignBottom);
    chart->addAxis(panel.values, Qt::AlignLeft);
    panel.view = new QChartView(chart, this);
    panel.view->setRenderHint(QPainter::Antialiasing);
    // Three charts a row, two rows, small enough that at 1024x700 the table above keeps
    // room for its rows.
    panel.view->setMinimumSize(260, 185);
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

void LiveChartsView::showSegments(QList<QLineSeries *> &parts,
                                  const QList<QList<QPointF>> &segments)
{
    // One QLineSeries per stretch of samples: Qt Charts joins every point of a series, and
    // a line across an outage would show figures nobody measured. The first part carries
    // the legend entry; the others share its pen and stay out of the legend.
    QLineSeries *first = parts.first();
    QChart *chart = first->chart();
    while (parts.size() < segments.size()) {
        auto *part = new QLineSeries(chart);
        part->setPen(first->pen());
        chart->addSeries(part);
        for (QAbstractAxis *axis : first->attachedAxes())
            part->attachAxis(axis);
        for (QLegendMarker *marker : chart->legend()->markers(part))
            marker->setVisible(false);
        parts.append(part);
    }
    for (qsizetype i = 0; i < parts.size(); ++i)
        parts[i]->replace(i < segments.size() ? segments.at(i) : QList<QPointF>());
}

void LiveChartsView::redraw()
{
    const qint64 since = m_history.lastSample().isValid()
        ? m_history.lastSample().toMSecsSinceEpoch() - LiveHistory::liveWindowMs()
        : 0;
    // Product series come and go with the products the feed reports.
    const QMap<qint64, RollingSeries> &stock = m_history.stock();
    for (auto it = stock.begin(); it != stock.end(); ++it) {
        if (!m_stock.contains(it.key())) {
            const int row = m_products.rowOf(it.key());
            const QString name = row >= 0 ? m_products.row(row).goods.name : QString();
            m_stock.insert(it.key(),
                           {addSeries(m_panels[StockPanel],
                                      name.isEmpty() ? tr("#%1").arg(it.key())
                                                     : tr("#%1 %2").arg(it.key()).arg(name),
                                      productColour(int(m_stock.size())))});
        }
        showSegments(m_stock[it.key()], it.value().segments(since));
    }
    double requestMax = 0;
    for (auto it = m_requests.begin(); it != m_requests.end(); ++it) {
        const RollingSeries &series = m_history.requests(it.key());
        showSegments(it.value(), series.segments(since));
        requestMax = qMax(requestMax, series.maximum(since));
    }
    showSegments(m_orders, m_history.orders().segments(since));
    showSegments(m_queue, m_history.queueDepth().segments(since));
    showSegments(m_deadLetters, m_history.deadLetters().segments(since));
    showSegments(m_latencyP50, m_history.latencyP50().segments(since));
    showSegments(m_latencyP99, m_history.latencyP99().segments(since));
    showSegments(m_orderLagP50, m_history.orderLagP50().segments(since));
    showSegments(m_orderLagP99, m_history.orderLagP99().segments(since));
    double stockMax = 0;
    for (const RollingSeries &series : stock)
        stockMax = qMax(stockMax, series.maximum(since));

    const QList<double> maxima {
        requestMax,
        m_history.orders().maximum(since),
        stockMax,
        qMax(m_history.queueDepth().maximum(since), m_history.deadLetters().maximum(since)),
        m_history.latencyP99().maximum(since),
        m_history.orderLagP99().maximum(since)};
    // Five minutes wide: filling from the left while younger than that (so the first
    // seconds are readable), then scrolling with the newest sample at the right edge.
    QDateTime start = QDateTime::currentDateTime().addMSecs(-LiveHistory::liveWindowMs());
    if (m_history.lastSample().isValid())
        start = qMax(m_history.firstSample(),
                     m_history.lastSample().addMSecs(-LiveHistory::liveWindowMs()));
    const QDateTime end = start.addMSecs(LiveHistory::liveWindowMs());
    for (int i = 0; i < m_panels.size(); ++i) {
        // As many time labels as fit the plot's width, so none is elided.
        const qreal width = m_panels[i].view->chart()->plotArea().width();
        m_panels[i].time->setTickCount(qBound(2, int(width / 75), 6));
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

void LiveChartsView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    // The plots get their new size once the charts are laid out: fit the labels then.
    QMetaObject::invokeMethod(this, &LiveChartsView::redraw, Qt::QueuedConnection);
}

qsizetype LiveChartsView::requestPoints() const
{
    qsizetype points = 0;
    for (const QLineSeries *part : m_requests.value(QStringLiteral("queued")))
        points += part->count();
    return points;
}

qsizetype LiveChartsView::requestSegments() const
{
    qsizetype segments = 0;
    for (const QLineSeries *part : m_requests.value(QStringLiteral("queued")))
        segments += part->count() > 0 ? 1 : 0;
    return segments;
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
