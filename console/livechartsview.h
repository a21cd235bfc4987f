#pragma once

#include "result.h"

#include <QHash>
#include <QMap>
#include <QWidget>

class QChart;
class QChartView;
class QLabel;
class QTimer;
class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace flashsale::console {

class LiveHistory;
class ProductsTableModel;

/// Six live charts of the last five minutes, redrawn at each message of the 1 Hz feed:
/// requests per second by outcome, orders created per second, stock left per product, the
/// order queue's depth and dead letters, buy latency and order lag (p50, p99); above them a
/// line with the latest figures and the instance count, which says when a figure is stale.
class LiveChartsView : public QWidget
{
    Q_OBJECT
public:
    LiveChartsView(const LiveHistory &history, const ProductsTableModel &products,
                   QWidget *parent = nullptr);

    /// Saves each chart as a PNG into \a directory (requests.png, orders.png, stock.png,
    /// queue.png, latency.png, orderlag.png).
    Status saveImages(const QString &directory) const;
    /// Points the request-outcome chart holds now (for tests and the status bar).
    qsizetype requestPoints() const;
    /// Stretches the "queued" line is drawn in (more than one after an outage).
    qsizetype requestSegments() const;
    /// The highest value the orders and queue depth charts show now (for tests).
    double ordersPeak() const;
    double queuePeak() const;
    /// The figures line above the charts.
    QString summaryText() const;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    /// One chart with a time axis and a value axis.
    struct Panel
    {
        QChartView *view = nullptr;
        QDateTimeAxis *time = nullptr;
        QValueAxis *values = nullptr;
        QString fileName;
    };

    Panel makePanel(const QString &title, const QString &valueTitle, const QString &fileName);
    QLineSeries *addSeries(Panel &panel, const QString &name, const QColor &colour);
    void redraw();
    /// Draws \a segments with \a parts (one series per segment, added as needed).
    void showSegments(QList<QLineSeries *> &parts, const QList<QList<QPointF>> &segments);
    void updateSummary();

    const LiveHistory &m_history;
    const ProductsTableModel &m_products;
    QList<Panel> m_panels;
    // Each line is drawn in parts, one per stretch without missing samples.
    QMap<QString, QList<QLineSeries *>> m_requests;
    QList<QLineSeries *> m_orders;
    QList<QLineSeries *> m_queue;
    QList<QLineSeries *> m_deadLetters;
    QList<QLineSeries *> m_latencyP50;
    QList<QLineSeries *> m_latencyP99;
    QList<QLineSeries *> m_orderLagP50;
    QList<QLineSeries *> m_orderLagP99;
    QLabel *m_summary = nullptr;
    QTimer *m_summaryTimer = nullptr; ///< so a silent feed is seen going stale
    QHash<qint64, QList<QLineSeries *>> m_stock;
};

} // namespace flashsale::console
