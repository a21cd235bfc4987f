#pragma once

#include "livehistory.h"
#include "productstablemodel.h"

#include <QColor>
#include <QDateTime>
#include <QList>
#include <QPointF>
#include <QString>

namespace flashsale::console {

/// One chart of a report, ready to draw: the whole watched period, titled with what it
/// covers (the site or the products, the period with its date and zone).
struct ReportChart
{
    /// One line, in stretches without missing samples.
    struct Line
    {
        QString name;
        QColor colour;
        QList<QList<QPointF>> segments; ///< x: ms since the epoch, y: the value
    };

    QString fileName; ///< requests.png, orders.png, stock.png, queue.png, latency.png, orderlag.png
    QString title; ///< what, whose, when
    QString valueTitle; ///< the value axis
    QString timeTitle; ///< the time axis, with its zone
    QDateTime from; ///< first sample
    QDateTime until; ///< last sample
    QList<Line> lines;
};

/// The report's charts from \a history: site-wide requests and orders (said so in the
/// titles, also in a one-product report), the queue and dead letters, buy latency and order
/// lag, and the stock of \a rows only.
/// \a allProducts words the titles for a report of every product.
QList<ReportChart> reportCharts(const LiveHistory &history,
                                const QList<ProductsTableModel::Row> &rows, bool allProducts);

/// "2026-12-03 14:00:05 to 14:13:10 UTC+08:00 (Asia/Shanghai)" (both dates when they differ).
QString describePeriod(const QDateTime &from, const QDateTime &until);

} // namespace flashsale::console
