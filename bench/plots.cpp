// The report's plots: Qt Charts rendered offscreen into PNG files.

#include "report.h"

#include <QChart>
#include <QChartView>
#include <QDir>
#include <QLineSeries>
#include <QPixmap>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <map>

namespace flashsale::bench {

namespace {

constexpr int kWidth = 1000;
constexpr int kHeight = 520;

struct Line
{
    QString name;
    QList<QPointF> points;
};

Status render(const QString &path, const QString &title, const QString &yTitle,
              const QList<Line> &lines)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignBottom);
    auto *x = new QValueAxis;
    x->setTitleText(QStringLiteral("seconds from the sale's start"));
    x->setLabelFormat(QStringLiteral("%.0f"));
    auto *y = new QValueAxis;
    y->setTitleText(yTitle);
    y->setLabelFormat(QStringLiteral("%.0f"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    double minX = 0, maxX = 1, maxY = 1;
    for (const Line &line : lines) {
        auto *series = new QLineSeries;
        series->setName(line.name);
        series->append(line.points);
        chart->addSeries(series);
        series->attachAxis(x);
        series->attachAxis(y);
        for (const QPointF &p : line.points) {
            minX = std::min(minX, p.x());
            maxX = std::max(maxX, p.x());
            maxY = std::max(maxY, p.y());
        }
    }
    x->setRange(std::floor(minX), std::ceil(maxX));
    if (maxX - minX < 10)
        x->setLabelFormat(QStringLiteral("%.1f"));
    else
        x->applyNiceNumbers();
    y->setRange(0, maxY * 1.05);
    y->applyNiceNumbers();
    QChartView view(chart); // owns the chart
    view.setRenderHint(QPainter::Antialiasing);
    view.resize(kWidth, kHeight);
    if (!view.grab().save(path, "PNG"))
        return Status::failure(QStringLiteral("cannot write %1").arg(path));
    return Status::success();
}

} // namespace

Status RehearsalReport::writePlots(const QString &dir) const
{
    // Buckets of one second (a tenth when the whole sale is shorter than 10 s), by the time
    // each answer arrived.
    double lastS = 0;
    for (const Sample &s : m_in.samples)
        lastS = std::max(lastS, (s.sentMs + s.latencyUs / 1000.0) / 1000);
    const double bucketS = lastS < 10 ? 0.1 : 1.0;
    auto bucketOf = [&](const Sample &s) {
        return std::int64_t(std::floor((s.sentMs + s.latencyUs / 1000.0) / 1000 / bucketS));
    };

    std::map<Outcome, std::map<std::int64_t, double>> answers;
    std::map<std::int64_t, std::vector<double>> latencies;
    for (const Sample &s : m_in.samples) {
        if (s.kind != RequestKind::Buy)
            continue;
        answers[s.outcome][bucketOf(s)] += 1 / bucketS;
        latencies[bucketOf(s)].push_back(s.latencyUs / 1000.0);
    }
    QList<Line> rates;
    for (const auto &[outcome, buckets] : answers) {
        Line line {outcomeName(outcome), {}};
        // Zero where an outcome had no answers in a bucket between its first and last.
        const std::int64_t first = buckets.begin()->first, last = buckets.rbegin()->first;
        for (std::int64_t b = first - 1; b <= last + 1; ++b) {
            const auto it = buckets.find(b);
            line.points.append(QPointF(b * bucketS, it == buckets.end() ? 0 : it->second));
        }
        rates.append(line);
    }
    Status status =
        render(QDir(dir).filePath(QStringLiteral("answers.png")),
               QStringLiteral("Buy answers per second by outcome (sale %1)").arg(m_in.goodsId),
               QStringLiteral("answers / s"), rates);
    if (!status)
        return status;

    Line p50 {QStringLiteral("p50"), {}}, p90 {QStringLiteral("p90"), {}},
        p99 {QStringLiteral("p99"), {}};
    for (auto &[bucket, values] : latencies) {
        const Percentiles p = Percentiles::of(values);
        p50.points.append(QPointF(bucket * bucketS, p.p50));
        p90.points.append(QPointF(bucket * bucketS, p.p90));
        p99.points.append(QPointF(bucket * bucketS, p.p99));
    }
    status = render(QDir(dir).filePath(QStringLiteral("latency.png")),
                    QStringLiteral("Buy latency percentiles (sale %1)").arg(m_in.goodsId),
                    QStringLiteral("ms"), {p50, p90, p99});
    if (!status)
        return status;

    Line stock {QStringLiteral("stock left (Redis)"), {}}, pending {QStringLiteral("pending"), {}},
        orders {QStringLiteral("orders"), {}};
    for (const SaleSample &s : m_in.saleSamples) {
        stock.points.append(QPointF(s.atS, s.stockLeft));
        pending.points.append(QPointF(s.atS, s.pending));
        orders.points.append(QPointF(s.atS, s.orders));
    }
    return render(
        QDir(dir).filePath(QStringLiteral("stock.png")),
        QStringLiteral("Stock, pending reservations and orders (sale %1)").arg(m_in.goodsId),
        QStringLiteral("units"), {stock, pending, orders});
}

} // namespace flashsale::bench
