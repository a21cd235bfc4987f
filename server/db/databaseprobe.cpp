#include "databaseprobe.h"

#include "database.h"

#include <QSqlQuery>
#include <QUuid>

namespace flashsale::db {

DatabaseProbe::DatabaseProbe(DatabaseUrl url, int intervalMs, QObject *parent)
    : QObject(parent)
    , m_url(std::move(url))
    , m_connectionName(QStringLiteral("probe-") + QUuid::createUuid().toString(QUuid::Id128))
    , m_intervalMs(intervalMs)
{ }

DatabaseProbe::~DatabaseProbe()
{
    closeDatabase(m_connectionName);
}

void DatabaseProbe::start()
{
    m_timer = new QTimer(this);
    m_timer->setInterval(m_intervalMs);
    connect(m_timer, &QTimer::timeout, this, &DatabaseProbe::probe);
    m_timer->start();
    probe();
}

void DatabaseProbe::probe()
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.isValid() || !db.isOpen()) {
        db = QSqlDatabase();
        closeDatabase(m_connectionName);
        const Result<QSqlDatabase> opened = openDatabase(m_url, m_connectionName, 2);
        if (!opened) {
            Q_EMIT checked(false, opened.error());
            return;
        }
        db = opened.value();
    }
    QSqlQuery query(db);
    if (query.exec(QStringLiteral("SELECT 1")) && query.next()) {
        Q_EMIT checked(true, m_url.displayName());
        return;
    }
    const QString reason = describeError(query);
    query = QSqlQuery();
    db.close();
    Q_EMIT checked(false, QStringLiteral("PostgreSQL at %1: %2").arg(m_url.displayName(), reason));
}

} // namespace flashsale::db
