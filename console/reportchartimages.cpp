#include "reportchartimages.h"

#include <QChart>
#include <QDateTimeAxis>
#include <QDir>
#include <QGraphicsScene>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPainter>
#include <QValueAxis>

namespace flashsale::console {

QImage ReportChartImages::render(const ReportChart &spec, const QSize &size)
{
    // Drawn through a scene of its own: no window, no screen size.
    QGraphicsScene scene;
    auto *chart = new QChart;
    scene.addItem(chart);
    chart->setGeometry(QRectF(QPointF(0, 0), QSizeF(size)));
    chart->setTitle(spec.title);
    QFont titleFont = chart->titleFont();
    titleFont.setPixelSize(size.height() / 32);
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);
    chart->legend()->setAlignment(Qt::AlignRight);
    QFont small;
    small.setPixelSize(size.height() / 48);
    chart->legend()->setFont(small);

    auto *time = new QDateTimeAxis(chart);
    const qint64 span = spec.from.isValid() ? spec.from.secsTo(spec.until) : 0;
    time->setFormat(span > 20 * 3600 ? QStringLiteral("MM-dd HH:mm") : QStringLiteral("HH:mm:ss"));
    time->setTitleText(spec.timeTitle);
    time->setTickCount(9);
    time->setLabelsFont(small);
    time->setTitleFont(small);
    auto *values = new QValueAxis(chart);
    values->setTitleText(spec.valueTitle);
    values->setLabelFormat(QStringLiteral("%.0f"));
    values->setLabelsFont(small);
    values->setTitleFont(small);
    chart->addAxis(time, Qt::AlignBottom);
    chart->addAxis(values, Qt::AlignLeft);

    double max = 0;
    for (const ReportChart::Line &line : spec.lines) {
        QPen pen(line.colour);
        pen.setWidthF(size.height() / 400.0);
        bool first = true;
        // An empty line still gets its legend entry.
        const QList<QList<QPointF>> segments =
            line.segments.isEmpty() ? QList<QList<QPointF>> {{}} : line.segments;
        for (const QList<QPointF> &segment : segments) {
            auto *series = new QLineSeries(chart);
            series->setName(line.name);
            series->setPen(pen);
            series->replace(segment);
            for (const QPointF &p : segment)
                max = qMax(max, p.y());
            chart->addSeries(series);
            series->attachAxis(time);
            series->attachAxis(values);
            if (!first)
                for (QLegendMarker *marker : chart->legend()->markers(series))
                    marker->setVisible(false);
            first = false;
        }
    }
    if (spec.from.isValid())
        time->setRange(spec.from, spec.until > spec.from ? spec.until : spec.from.addSecs(1));
    values->setRange(0, qMax(5.0, max * 1.1));
    values->applyNiceNumbers();
    values->setMin(0);

    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    scene.render(&painter, QRectF(QPointF(0, 0), QSizeF(size)),
                 QRectF(QPointF(0, 0), QSizeF(size)));
    painter.end();
    return image;
}

Status ReportChartImages::write(const QList<ReportChart> &charts, const QString &directory,
                                const QSize &size)
{
    if (!QDir().mkpath(directory))
        return Status::failure(QStringLiteral("cannot create the folder %1").arg(directory));
    for (const ReportChart &chart : charts) {
        const QString path = QDir(directory).filePath(chart.fileName);
        if (!render(chart, size).save(path, "PNG"))
            return Status::failure(QStringLiteral("cannot write %1").arg(path));
    }
    return Status::success();
}

} // namespace flashsale::console
