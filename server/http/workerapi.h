#pragma once

class QByteArray;
class QHttpServer;

namespace flashsale {
class HealthRegistry;
}
namespace flashsale::orders {
class WorkerRole;
}

namespace flashsale::http {

/// What the worker role serves on its --listen (docs/api.md, "Worker role"): /healthz (its
/// dependencies), /readyz (200 while it is consuming the orders queue), /metrics (its
/// orders, order lag and worker counters, labelled with the process's `instance`).
class WorkerApi
{
public:
    /// \a health and \a role must outlive every server this is installed on.
    WorkerApi(const HealthRegistry &health, const orders::WorkerRole &role)
        : m_health(&health)
        , m_role(&role)
    { }

    /// Adds the routes to \a server (called on the server's thread).
    void install(QHttpServer &server) const;

    /// The worker role's families in Prometheus text: orders, order lag, per-worker counters
    /// (also on the shopper port's /metrics in role "all").
    static void writeMetrics(const orders::WorkerRole &role, QByteArray &text);

private:
    const HealthRegistry *m_health = nullptr;
    const orders::WorkerRole *m_role = nullptr;
};

} // namespace flashsale::http
