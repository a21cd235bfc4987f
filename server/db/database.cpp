#include "database.h"

#include <QSqlError>
#include <QSqlQuery>

Q_LOGGING_CATEGORY(lcDatabase, "flashsale.db")

namespace flashsale::db {

Result<QSqlDatabase> openDatabase(const DatabaseUrl &url, const QString &connectionName,
                                  int connectTimeoutSeconds)
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")))
        return Result<QSqlDatabase>::failure(QStringLiteral(
            "the Qt PostgreSQL driver (QPSQL) is not installed: apt-get install libqt6sql6-psql"));
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connectionName);
    db.setHostName(url.host);
    db.setPort(url.port);
    db.setUserName(url.user);
    db.setPassword(url.password);
    db.setDatabaseName(url.name);
    db.setConnectOptions(
        QStringLiteral("connect_timeout=%1;application_name=flashsale").arg(connectTimeoutSeconds));
    if (!db.open()) {
        const QString reason = db.lastError().text().simplified();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(connectionName);
        return Result<QSqlDatabase>::failure(
            QStringLiteral("cannot reach PostgreSQL at %1: %2").arg(url.displayName(), reason));
    }
    return db;
}

void closeDatabase(const QString &connectionName)
{
    {
        QSqlDatabase db = QSqlDatabase::database(connectionName, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(connectionName);
}

QString describeError(const QSqlQuery &query)
{
    return query.lastError().text().simplified();
}

} // namespace flashsale::db
