#pragma once

#include "result.h"

#include <QHostAddress>
#include <QHttpServer>
#include <QObject>

namespace flashsale {
class HealthRegistry;
}

namespace flashsale::http {

/// The shoppers' HTTP API. Today: `GET /healthz` (each dependency's state) and JSON
/// errors for everything it does not know.
class HttpApi : public QObject
{
    Q_OBJECT
public:
    explicit HttpApi(const HealthRegistry &health, QObject *parent = nullptr);

    /// Listens on \a address:\a port (0 picks a free port). Returns the port bound.
    Result<quint16> listen(const QHostAddress &address, quint16 port);

private:
    const HealthRegistry &m_health;
    QHttpServer m_server;
};

} // namespace flashsale::http
