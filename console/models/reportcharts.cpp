#include "reportcharts.h"

#include "chartstyle.h"
#include "timeformat.h"

#include <QCoreApplication>

namespace flashsale::console {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ReportCharts", text);
}

} // namespace

QString describePeriod(const QDateTime &from, const QDateTime &until)
{
    if (!from.isValid())
        return tr("nothing watched");
    const QDateTime a = from.toLocalTime();
    const QDateTime b = until.toLocalTime();
    const QString fmt = QStringLiteral("yyyy-MM-dd HH:mm:ss");
    const QString end =
        a.date() == b.date() ? b.toString(QStringLiteral("HH:mm:ss")) : b.toString(fmt);
    return tr("%1 to %2 %3").arg(a.toString(fmt), end, localZoneDescription(a));
}

QList<ReportChart> reportCharts(const LiveHistory &history,
                                const QList<ProductsTableModel::Row> &rows, bool allProducts)
{
    const QString period = describePeriod(history.firstSample(), history.lastSample());
    const QString timeTitle =
        tr("time (%1)")
            .arg(localZoneOffset(history.firstSample().isValid() ? history.firstSample()
                                                                 : QDateTime::currentDateTime()));
    QString products;
    if (allProducts || rows.isEmpty()) {
        products = tr("all products");
    } else {
        QStringList names;
        for (const ProductsTableModel::Row &row : rows)
            names.append(tr("#%1 %2").arg(row.goods.goodsId).arg(row.goods.name));
        products = names.join(QStringLiteral(", "));
    }
    auto chart = [&](const QString &file, const QString &what, const QString &whose,
                     const QString &values) {
        ReportChart c;
        c.fileName = file;
        c.title = tr("%1, %2\n%3").arg(what, whose, period);
        c.valueTitle = values;
        c.timeTitle = timeTitle;
        c.from = history.firstSample();
        c.until = history.lastSample();
        return c;
    };
    // The feed counts requests and orders for the whole site, not per product: a
    // one-product report says so rather than passing them off as the product's.
    const QString site =
        allProducts ? tr("whole site") : tr("whole site (all products, not only %1)").arg(products);

    QList<ReportChart> charts;
    ReportChart requests =
        chart(QStringLiteral("requests.png"), tr("Buy requests per second by outcome"), site,
              tr("requests / s"));
    for (const QString &outcome : adminapi::Stats::outcomes())
        requests.lines.append(
            {outcomeLabel(outcome), outcomeColour(outcome), history.requests(outcome).segments()});
    charts.append(requests);

    ReportChart orders = chart(QStringLiteral("orders.png"), tr("Orders created per second"), site,
                               tr("orders / s"));
    orders.lines.append({tr("Orders"), QColor(0x15, 0x65, 0xc0), history.orders().segments()});
    charts.append(orders);

    ReportChart stock = chart(QStringLiteral("stock.png"), tr("Stock left"), products, tr("units"));
    int colour = 0;
    const QMap<qint64, RollingSeries> &series = history.stock();
    for (auto it = series.begin(); it != series.end(); ++it, ++colour) {
        const ProductsTableModel::Row *row = nullptr;
        for (const ProductsTableModel::Row &r : rows)
            if (r.goods.goodsId == it.key())
                row = &r;
        if (!row)
            continue; // not in this report
        stock.lines.append({tr("#%1 %2").arg(it.key()).arg(row->goods.name), productColour(colour),
                            it.value().segments()});
    }
    charts.append(stock);

    ReportChart queue = chart(QStringLiteral("queue.png"), tr("Order queue depth"),
                              tr("whole site"), tr("messages"));
    queue.lines.append(
        {tr("Waiting in RabbitMQ"), QColor(0x6d, 0x4c, 0x41), history.queueDepth().segments()});
    queue.lines.append(
        {tr("Dead letters"), QColor(0xc6, 0x28, 0x28), history.deadLetters().segments()});
    charts.append(queue);

    ReportChart latency =
        chart(QStringLiteral("latency.png"), tr("Buy latency"), tr("whole site"), tr("ms"));
    latency.lines.append({tr("p50"), QColor(0x15, 0x65, 0xc0), history.latencyP50().segments()});
    latency.lines.append({tr("p99"), QColor(0xef, 0x6c, 0x00), history.latencyP99().segments()});
    charts.append(latency);

    ReportChart lag =
        chart(QStringLiteral("orderlag.png"), tr("Order lag, reservation to committed order"),
              tr("whole site"), tr("ms"));
    lag.lines.append({tr("p50"), QColor(0x15, 0x65, 0xc0), history.orderLagP50().segments()});
    lag.lines.append({tr("p99"), QColor(0xef, 0x6c, 0x00), history.orderLagP99().segments()});
    charts.append(lag);
    return charts;
}

} // namespace flashsale::console
