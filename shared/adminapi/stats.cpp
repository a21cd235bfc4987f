#include "stats.h"

#include "jsonfields.h"

#include <QJsonArray>

namespace flashsale::adminapi {

QStringList Stats::outcomes()
{
    return {QStringLiteral("queued"),       QStringLiteral("sold_out"),
            QStringLiteral("duplicate"),    QStringLiteral("too_frequent"),
            QStringLiteral("rate_limited"), QStringLiteral("degraded"),
            QStringLiteral("rejected"),     QStringLiteral("error")};
}

QStringList Stats::breakerNames()
{
    return {QStringLiteral("redis"), QStringLiteral("rabbitmq"), QStringLiteral("postgres")};
}

Result<Stats> Stats::fromJson(const QJsonObject &json)
{
    JsonFields fields(json, QStringLiteral("Stats"));
    Stats stats;
    stats.time = fields.time(QStringLiteral("time"));
    stats.instances = fields.integer(QStringLiteral("instances"));
    stats.workers = fields.integer(QStringLiteral("workers"));
    stats.ordersPerSecond = fields.number(QStringLiteral("ordersPerSecond"));
    stats.queueDepth = fields.integer(QStringLiteral("queueDepth"));
    stats.deadLetters = fields.integer(QStringLiteral("deadLetters"));
    const auto percentiles = [&fields](const QString &key) {
        JsonFields p(fields.object(key), key);
        Percentiles out;
        out.p50 = p.number(QStringLiteral("p50"));
        out.p99 = p.number(QStringLiteral("p99"));
        out.count = p.integer(QStringLiteral("count"));
        if (!p.ok())
            fields.fail(p.error());
        return out;
    };
    stats.buyLatencyMs = percentiles(QStringLiteral("buyLatencyMs"));
    stats.orderLagMs = percentiles(QStringLiteral("orderLagMs"));
    for (const QJsonValue &figure : fields.array(QStringLiteral("stale"))) {
        if (!figure.isString())
            fields.fail(QStringLiteral("stale[] is not a string"));
        stats.stale.append(figure.toString());
    }

    // Outcomes the server adds later are kept; the known ones must be numbers.
    JsonFields requests(fields.object(QStringLiteral("requestsPerSecond")),
                        QStringLiteral("requestsPerSecond"));
    const QJsonObject requestsJson = json.value(QStringLiteral("requestsPerSecond")).toObject();
    for (auto it = requestsJson.begin(); it != requestsJson.end(); ++it)
        stats.requestsPerSecond.insert(it.key(), requests.number(it.key()));
    if (!requests.ok())
        fields.fail(requests.error());

    JsonFields breakers(fields.object(QStringLiteral("breakers")), QStringLiteral("breakers"));
    const QJsonObject breakersJson = json.value(QStringLiteral("breakers")).toObject();
    for (auto it = breakersJson.begin(); it != breakersJson.end(); ++it)
        stats.breakers.insert(it.key(), breakers.string(it.key()));
    if (!breakers.ok())
        fields.fail(breakers.error());

    const QJsonArray sales = fields.array(QStringLiteral("sales"));
    for (const QJsonValue &value : sales) {
        JsonFields entry(value.toObject(), QStringLiteral("sales[]"));
        Sale sale;
        sale.goodsId = entry.integer(QStringLiteral("goodsId"));
        sale.stockLeft = entry.integer(QStringLiteral("stockLeft"));
        sale.pending = entry.integer(QStringLiteral("pending"));
        sale.ordersCreated = entry.integer(QStringLiteral("ordersCreated"));
        sale.acceptedPerSecond = entry.number(QStringLiteral("acceptedPerSecond"));
        if (!entry.ok())
            fields.fail(entry.error());
        stats.sales.append(sale);
    }
    if (!fields.ok())
        return Result<Stats>::failure(fields.error());
    return stats;
}

QJsonObject Stats::toJson() const
{
    QJsonObject requests;
    for (auto it = requestsPerSecond.begin(); it != requestsPerSecond.end(); ++it)
        requests.insert(it.key(), it.value());
    QJsonObject breakersJson;
    for (auto it = breakers.begin(); it != breakers.end(); ++it)
        breakersJson.insert(it.key(), it.value());
    const auto percentiles = [](const Percentiles &p) {
        return QJsonObject {{QStringLiteral("p50"), p.p50},
                            {QStringLiteral("p99"), p.p99},
                            {QStringLiteral("count"), p.count}};
    };
    QJsonArray salesJson;
    for (const Sale &sale : sales)
        salesJson.append(QJsonObject {
            {QStringLiteral("goodsId"), sale.goodsId},
            {QStringLiteral("stockLeft"), sale.stockLeft},
            {QStringLiteral("pending"), sale.pending},
            {QStringLiteral("ordersCreated"), sale.ordersCreated},
            {QStringLiteral("acceptedPerSecond"), sale.acceptedPerSecond},
        });
    return {
        {QStringLiteral("time"), formatTime(time)},
        {QStringLiteral("instances"), instances},
        {QStringLiteral("workers"), workers},
        {QStringLiteral("requestsPerSecond"), requests},
        {QStringLiteral("ordersPerSecond"), ordersPerSecond},
        {QStringLiteral("queueDepth"), queueDepth},
        {QStringLiteral("deadLetters"), deadLetters},
        {QStringLiteral("buyLatencyMs"), percentiles(buyLatencyMs)},
        {QStringLiteral("orderLagMs"), percentiles(orderLagMs)},
        {QStringLiteral("stale"), QJsonArray::fromStringList(stale)},
        {QStringLiteral("breakers"), breakersJson},
        {QStringLiteral("sales"), salesJson},
    };
}

} // namespace flashsale::adminapi
