#include "sqlerror.h"

#include "database.h"

#include <QSqlError>

namespace flashsale::db {

QString queryFailure(QSqlDatabase &db, const QSqlQuery &query)
{
    const QSqlError error = query.lastError();
    if (!db.isOpen() || error.type() == QSqlError::ConnectionError
        || error.text().contains(QStringLiteral("server closed the connection"))
        || error.text().contains(QStringLiteral("no connection to the server"))) {
        db.close();
        return QStringLiteral("PostgreSQL is unreachable: ") + error.text().simplified();
    }
    return QStringLiteral("PostgreSQL: ") + error.text().simplified();
}

} // namespace flashsale::db
