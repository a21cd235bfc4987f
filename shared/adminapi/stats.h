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
/// /admin/stats and every second on /admin/live.
struct Stats
{
    /// One product's live figures.
    struct Sale
    {
        qint64 goodsId = 0; ///< the product
        qint64 stockLeft = 0; ///< Redis stock now
        qint64 pending = 0; ///< reservations not yet orders
        qint64 ordersCreated = 0; ///< orders in PostgreSQL
        double acceptedPerSecond = 0; ///< buys accepted per second
    };

    QDateTime time; ///< when the server took these figures
    qint64 instances = 0; ///< API instances reporting
    QMap<QString, double> requestsPerSecond; ///< buy answers per second, by outcome()
    double ordersPerSecond = 0; ///< orders created per second
    qint64 queueDepth = 0; ///< order messages waiting in RabbitMQ
    QMap<QString, QString> breakers; ///< redis/rabbitmq/postgres -> closed, open or half_open
    QList<Sale> sales; ///< per product

    /// The outcome keys of requestsPerSecond, in the order the API lists them.
    static QStringList outcomes();
    /// The dependencies that have a circuit breaker.
    static QStringList breakerNames();

    static Result<Stats> fromJson(const QJsonObject &json);
    QJsonObject toJson() const;
};

} // namespace flashsale::adminapi
