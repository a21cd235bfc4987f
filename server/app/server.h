#pragma once

#include "healthregistry.h"
#include "result.h"
#include "serverconfig.h"

#include <QObject>
#include <QThread>

#include <memory>

namespace flashsale {

namespace db {
class DatabaseProbe;
}
namespace http {
class HttpApi;
}
namespace orders {
class WorkerRole;
}

/// flashsale-server assembled from its parts, as its role asks.
class Server : public QObject
{
    Q_OBJECT
public:
    explicit Server(ServerConfig config, QObject *parent = nullptr);
    ~Server() override;

    /// Connects to every dependency (failing with one line that names the one that is
    /// unreachable and the address tried), applies migrations, starts listening.
    Status start();

    /// The port the shoppers' API listens on, once started.
    quint16 httpPort() const { return m_httpPort; }

private:
    Status startDatabase();

    ServerConfig m_config;
    HealthRegistry m_health;
    QThread m_probeThread;
    db::DatabaseProbe *m_databaseProbe = nullptr;
    std::unique_ptr<http::HttpApi> m_http;
    quint16 m_httpPort = 0;
    std::unique_ptr<orders::WorkerRole> m_workerRole; ///< role worker or all
};

} // namespace flashsale
