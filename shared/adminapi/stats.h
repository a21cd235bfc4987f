#pragma once

#include "result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace flashsale::adminapi {

/// One second of the whole site's traffic (`Stats` in docs/api.md), sent by GET
/// /admin/stats and every second on /admin/live: the sum of every live instance's figures.
struct Stats
{
    /// Two percentiles of a site-wide histogram (merged from every instance's, not averaged).
    struct Percentiles
    {
        double p50 = 0; ///< median, ms
        double p99 = 0; ///< 99th percentile, ms
        qint64 count = 0; ///< values measured in that second (0: the percentiles mean nothing)
    };

    /// One product's live figures.
    struct Sale
    {
        qint64 goodsId = 0; ///< the product
        qint64 stockLeft = 0; ///< Redis stock now
        qint64 pending = 0; ///< reservations not yet orders
        qint64 ordersCreated = 0; ///< orders in PostgreSQL
        double acceptedPerSecond = 0; ///< buys accepted per second
    };

    QDateTime time; ///< the end of the whole second the rates count
    qint64 instances = 0; ///< API instances reporting
    qint64 workers = 0; ///< worker processes reporting
    QMap<QString, double> requestsPerSecond; ///< buy answers per second, by outcome()
    double ordersPerSecond = 0; ///< orders committed by the workers per second
    qint64 queueDepth = 0; ///< order messages waiting in RabbitMQ (its own count)
    qint64 deadLetters = 0; ///< messages in the dead-letter queue, not yet compensated
    Percentiles buyLatencyMs; ///< buy request to answer, over the site
    Percentiles orderLagMs; ///< reservation in Redis to committed order, over the site
    /// Figures that are not current ("rates": no live instance's figures could be read;
    /// "queueDepth": RabbitMQ's count could not be read lately); they show their last value.
    QStringList stale;
    QMap<QString, QString> breakers; ///< redis/rabbitmq/postgres -> closed, open or half_open
    QList<Sale> sales; ///< per product

    /// True when \a figure ("rates", "queueDepth") is in stale.
    bool isStale(const QString &figure) const { return stale.contains(figure); }

    /// The outcome keys of requestsPerSecond, in the order the API lists them.
    static QStringList outcomes();
    /// The dependencies that have a circuit breaker.
    static QStringList breakerNames();

    static Result<Stats> fromJson(const QJsonObject &json);
    QJsonObject toJson() const;
};

} // namespace flashsale::adminapi
