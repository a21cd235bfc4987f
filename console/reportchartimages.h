#pragma once

#include "reportcharts.h"
#include "result.h"

#include <QImage>
#include <QSize>

namespace flashsale::console {

/// Draws a report's charts at print size (not screen size): the whole watched period,
/// titled, with gaps where samples are missing.
class ReportChartImages
{
public:
    /// 8 x 4.5 inches at 300 dpi.
    static constexpr QSize printSize() { return {2400, 1350}; }

    /// One chart as an image of \a size.
    static QImage render(const ReportChart &chart, const QSize &size = printSize());
    /// Each chart as a PNG named by its fileName into \a directory.
    static Status write(const QList<ReportChart> &charts, const QString &directory,
                        const QSize &size = printSize());
};

} // namespace flashsale::console
