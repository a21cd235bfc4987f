#pragma once

#include "livehistory.h"
#include "productstablemodel.h"
#include "result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace flashsale::console {

/// The record of a sale event: each product's counts and the traffic the console watched,
/// written as files an operator can attach to a post-mortem (the charts are added as PNG by
/// the window, which owns them).
class SaleReport
{
public:
    /// A report of \a rows (all products, or the one selected) and \a history at \a generatedAt.
    SaleReport(QList<ProductsTableModel::Row> rows, const LiveHistory &history,
               QDateTime generatedAt);

    /// Everything, machine-readable.
    QJsonObject toJson() const;
    /// One line per product, with a header line.
    QString toCsv() const;
    /// A short summary for people.
    QString toText() const;

    /// Writes report.json, products.csv and summary.txt into \a directory (created if
    /// needed); the error names the file that could not be written.
    Status write(const QString &directory) const;

    /// File names written by write().
    static QStringList fileNames();

private:
    QList<ProductsTableModel::Row> m_rows;
    QMap<QString, double> m_outcomeTotals;
    double m_ordersTotal = 0;
    double m_peakRequests = 0;
    qint64 m_samples = 0;
    QDateTime m_watchedFrom;
    QDateTime m_watchedUntil;
    QDateTime m_generatedAt;
};

} // namespace flashsale::console
