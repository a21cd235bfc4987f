#include "server.h"

#include "database.h"
#include "databaseprobe.h"
#include "httpapi.h"
#include "migrator.h"
#include "workerrole.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcServer, "flashsale.server")

namespace flashsale {

namespace {
const QString postgresName = QStringLiteral("postgres");
const QString startupConnection = QStringLiteral("startup");
} // namespace

Server::Server(ServerConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    m_probeThread.setObjectName(QStringLiteral("health-probes"));
}

Server::~Server()
{
    m_probeThread.quit();
    m_probeThread.wait();
}

Status Server::start()
{
    if (Status s = startDatabase(); !s)
        return s;

    if (m_config.role != ServerConfig::Role::Worker) {
        m_http = std::make_unique<http::HttpApi>(m_health);
        const Result<quint16> port = m_http->listen(m_config.listen.address, m_config.listen.port);
        if (!port)
            return Status::failure(port.error());
        m_httpPort = port.value();
        qCInfo(lcServer).noquote() << QStringLiteral("shopper API on http://%1:%2")
                                          .arg(m_config.listen.address.toString())
                                          .arg(m_httpPort);
    }
    if (m_config.role != ServerConfig::Role::Api) {
        m_workerRole = std::make_unique<orders::WorkerRole>(
            m_config.databaseUrl, m_config.redisUrl, m_config.amqpUrl, m_config.worker, m_health);
        if (Status s = m_workerRole->start(); !s)
            return s;
    }
    qCInfo(lcServer).noquote() << "started, role" << ServerConfig::roleName(m_config.role);
    return Status::success();
}

Status Server::startDatabase()
{
    const Result<db::DatabaseUrl> url = db::DatabaseUrl::parse(m_config.databaseUrl);
    if (!url)
        return Status::failure(QStringLiteral("database-url: ") + url.error());

    {
        const Result<QSqlDatabase> opened = db::openDatabase(url.value(), startupConnection);
        if (!opened)
            return Status::failure(opened.error());
        db::Migrator migrator(opened.value());
        const Result<int> applied = migrator.migrate();
        if (!applied)
            return Status::failure(
                QStringLiteral("PostgreSQL at %1: %2").arg(url->displayName(), applied.error()));
        qCInfo(lcServer).noquote() << "PostgreSQL at" << url->displayName() << "schema up to date,"
                                   << applied.value() << "migrations applied";
    }
    db::closeDatabase(startupConnection);
    m_health.report(postgresName, true, url->displayName());

    m_databaseProbe = new db::DatabaseProbe(url.value());
    m_databaseProbe->moveToThread(&m_probeThread);
    connect(&m_probeThread, &QThread::finished, m_databaseProbe, &QObject::deleteLater);
    connect(m_databaseProbe, &db::DatabaseProbe::checked, this,
            [this](bool up, const QString &detail) {
                if (up != m_health.entry(postgresName).up)
                    qCWarning(lcServer).noquote()
                        << "PostgreSQL is" << (up ? "up:" : "down:") << detail;
                m_health.report(postgresName, up, detail);
            });
    m_probeThread.start();
    QMetaObject::invokeMethod(m_databaseProbe, &db::DatabaseProbe::start, Qt::QueuedConnection);
    return Status::success();
}

} // namespace flashsale
