#include "workerapi.h"

#include "figurespublisher.h"
#include "healthregistry.h"
#include "jsonresponse.h"
#include "orderworker.h"
#include "prometheustext.h"
#include "routehelpers.h"
#include "salemetrics.h"
#include "workerrole.h"

#include <QHttpServer>

namespace flashsale::http {

using StatusCode = QHttpServerResponse::StatusCode;

namespace {

void writeDependencies(metrics::PrometheusText &out, const HealthRegistry &health)
{
    out.family("flashsale_dependency_up", "gauge", "1 when a dependency answers.");
    const QJsonObject deps = health.toJson().value(QStringLiteral("dependencies")).toObject();
    for (auto d = deps.begin(); d != deps.end(); ++d)
        out.sample("flashsale_dependency_up",
                   d.value().toObject().value(QStringLiteral("state")).toString() == u"up" ? 1 : 0,
                   {{"dependency", d.key().toLatin1()}});
}

void writeWorkerFamilies(metrics::PrometheusText &out, const orders::WorkerRole &role)
{
    role.orderMetrics().writePrometheus(out);
    // Summed over the role's order workers (threads): the process is the unit scraped.
    qint64 transactions = 0, failed = 0, poison = 0, redisFailures = 0, connected = 0;
    for (const auto &worker : role.workers()) {
        transactions += worker->stats().transactions;
        failed += worker->stats().failedBatches;
        poison += worker->stats().poisonMessages;
        redisFailures += worker->stats().redisFailures;
        connected += worker->consumerStats().connected ? 1 : 0;
    }
    out.family("flashsale_order_transactions_total", "counter", "Order batches committed.");
    out.sample("flashsale_order_transactions_total", double(transactions));
    out.family("flashsale_order_batches_failed_total", "counter",
               "Order batches given back to the queue for another try.");
    out.sample("flashsale_order_batches_failed_total", double(failed));
    out.family("flashsale_order_poison_messages_total", "counter",
               "Unreadable order messages sent to the dead-letter queue.");
    out.sample("flashsale_order_poison_messages_total", double(poison));
    out.family("flashsale_order_redis_failures_total", "counter",
               "Redis steps of committed batches that failed and were run again.");
    out.sample("flashsale_order_redis_failures_total", double(redisFailures));
    out.family("flashsale_order_consumers_connected", "gauge",
               "Order workers whose RabbitMQ consumer is connected.");
    out.sample("flashsale_order_consumers_connected", double(connected));
}

} // namespace

void WorkerApi::writeMetrics(const orders::WorkerRole &role, QByteArray &text)
{
    metrics::PrometheusText out(
        metrics::PrometheusText::Labels {{"instance", metrics::instanceLabel()}});
    writeWorkerFamilies(out, role);
    text += out.text();
}

void WorkerApi::install(QHttpServer &server) const
{
    const HealthRegistry *health = m_health;
    const orders::WorkerRole *role = m_role;
    server.route(QStringLiteral("/healthz"), QHttpServerRequest::Method::Get, [health] {
        return jsonResponse(health->toJson(),
                            health->allUp() ? StatusCode::Ok : StatusCode::ServiceUnavailable);
    });
    refuseOtherMethods(server, QStringLiteral("/healthz"), QStringLiteral("GET"));

    server.route(QStringLiteral("/readyz"), QHttpServerRequest::Method::Get, [role] {
        const bool ready = role->isConsuming();
        return jsonResponse({{QStringLiteral("ready"), ready}},
                            ready ? StatusCode::Ok : StatusCode::ServiceUnavailable);
    });
    refuseOtherMethods(server, QStringLiteral("/readyz"), QStringLiteral("GET"));

    server.route(QStringLiteral("/metrics"), QHttpServerRequest::Method::Get, [health, role] {
        metrics::PrometheusText out(
            metrics::PrometheusText::Labels {{"instance", metrics::instanceLabel()}});
        writeWorkerFamilies(out, *role);
        writeDependencies(out, *health);
        return QHttpServerResponse(metrics::PrometheusText::contentType(), out.text());
    });
    refuseOtherMethods(server, QStringLiteral("/metrics"), QStringLiteral("GET"));

    installMissingHandler(server);
}

} // namespace flashsale::http
