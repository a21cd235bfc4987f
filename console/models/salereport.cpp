#include "salereport.h"

#include "adminapi/jsonfields.h"
#include "timeformat.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <cmath>

namespace flashsale::console {

namespace {

QString csvField(const QString &text)
{
    if (!text.contains(u',') && !text.contains(u'"') && !text.contains(u'\n'))
        return text;
    QString quoted = text;
    quoted.replace(QStringLiteral("\""), QStringLiteral("\"\""));
    return u'"' + quoted + u'"';
}

QString timeOrEmpty(const QDateTime &time)
{
    return time.isValid() ? adminapi::formatTime(time) : QString();
}

Status writeFile(const QString &path, const QByteArray &content)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size() || !file.commit())
        return Status::failure(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return Status::success();
}

} // namespace

SaleReport::SaleReport(QList<ProductsTableModel::Row> rows, const LiveHistory &history,
                       QDateTime generatedAt)
    : m_rows(std::move(rows))
    , m_outcomeTotals(history.outcomeTotals())
    , m_ordersTotal(history.ordersTotal())
    , m_peakRequests(history.peakRequestsPerSecond())
    , m_samples(history.samples())
    , m_watchedFrom(history.firstSample())
    , m_watchedUntil(history.lastSample())
    , m_generatedAt(std::move(generatedAt))
{ }

QStringList SaleReport::fileNames()
{
    return {QStringLiteral("report.json"), QStringLiteral("products.csv"),
            QStringLiteral("summary.txt")};
}

QJsonObject SaleReport::toJson() const
{
    QJsonArray products;
    for (const ProductsTableModel::Row &row : m_rows) {
        QJsonObject sale = row.sale.toJson();
        sale.insert(QStringLiteral("derivedState"),
                    stateName(deriveState(row.sale, m_generatedAt)));
        products.append(sale);
    }
    QJsonObject outcomes;
    for (auto it = m_outcomeTotals.begin(); it != m_outcomeTotals.end(); ++it)
        outcomes.insert(it.key(), std::round(it.value()));
    return {
        {QStringLiteral("generatedAt"), adminapi::formatTime(m_generatedAt)},
        {QStringLiteral("watchedFrom"), timeOrEmpty(m_watchedFrom)},
        {QStringLiteral("watchedUntil"), timeOrEmpty(m_watchedUntil)},
        {QStringLiteral("samples"), m_samples},
        {QStringLiteral("requestsByOutcome"), outcomes},
        {QStringLiteral("ordersObserved"), std::round(m_ordersTotal)},
        {QStringLiteral("peakRequestsPerSecond"), m_peakRequests},
        {QStringLiteral("products"), products},
    };
}

QString SaleReport::toCsv() const
{
    QString csv = QStringLiteral("goodsId,name,priceCents,flashPriceCents,preloadedStock,"
                                 "stockLeft,ordersCreated,pending,revealAt,startAt,endAt,"
                                 "ratePerSecond,burst,state\n");
    for (const ProductsTableModel::Row &row : m_rows) {
        const adminapi::SaleStatus &s = row.sale;
        const QStringList fields {
            QString::number(row.goods.goodsId),
            csvField(row.goods.name),
            QString::number(row.goods.priceCents),
            QString::number(row.goods.flashPriceCents),
            QString::number(s.preloadedStock),
            QString::number(s.stockLeft),
            QString::number(s.ordersCreated),
            QString::number(s.pending),
            timeOrEmpty(s.revealAt),
            timeOrEmpty(s.startAt),
            timeOrEmpty(s.endAt),
            QString::number(s.ratePerSecond),
            QString::number(s.burst),
            stateName(deriveState(s, m_generatedAt)),
        };
        csv += fields.join(u',') + u'\n';
    }
    return csv;
}

QString SaleReport::toText() const
{
    // For people: local time with its zone (report.json and products.csv keep UTC).
    QString text = QStringLiteral("Flash sale report, %1\n").arg(formatLocalTime(m_generatedAt));
    if (m_samples > 0)
        text += QStringLiteral("Watched live from %1 to %2 (%3 samples)\n")
                    .arg(formatLocalTime(m_watchedFrom), formatLocalTime(m_watchedUntil))
                    .arg(m_samples);
    else
        text += QStringLiteral("No live traffic was watched.\n");
    text += QStringLiteral("\nRequests by outcome while watched, whole site (peak %1/s):\n")
                .arg(m_peakRequests, 0, 'f', 1);
    for (const QString &outcome : adminapi::Stats::outcomes())
        text += QStringLiteral("  %1 %2\n")
                    .arg(outcome, -14)
                    .arg(qint64(std::round(m_outcomeTotals.value(outcome))));
    text += QStringLiteral("Orders created while watched, whole site: %1\n\n")
                .arg(qint64(std::round(m_ordersTotal)));
    text += QStringLiteral("Products:\n");
    for (const ProductsTableModel::Row &row : m_rows) {
        const adminapi::SaleStatus &s = row.sale;
        text += QStringLiteral("  #%1 %2: %3, preloaded %4, sold %5, left %6, pending %7\n")
                    .arg(row.goods.goodsId)
                    .arg(row.goods.name, stateLabel(deriveState(s, m_generatedAt)))
                    .arg(s.preloadedStock)
                    .arg(s.ordersCreated)
                    .arg(s.stockLeft)
                    .arg(s.pending);
    }
    return text;
}

Status SaleReport::write(const QString &directory) const
{
    if (!QDir().mkpath(directory))
        return Status::failure(QStringLiteral("cannot create the folder %1").arg(directory));
    const QDir dir(directory);
    const QList<QByteArray> contents {QJsonDocument(toJson()).toJson(), toCsv().toUtf8(),
                                      toText().toUtf8()};
    const QStringList names = fileNames();
    for (int i = 0; i < names.size(); ++i) {
        if (Status s = writeFile(dir.filePath(names.at(i)), contents.at(i)); !s)
            return s;
    }
    return Status::success();
}

} // namespace flashsale::console
