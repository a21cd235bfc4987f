#pragma once

#include "databaseurl.h"
#include "result.h"

#include <QLoggingCategory>
#include <QSqlDatabase>

Q_DECLARE_LOGGING_CATEGORY(lcDatabase)

namespace flashsale::db {

/// Opens a QPSQL connection named \a connectionName (QSqlDatabase connections belong to
/// the thread that opens them: one name per thread). Fails with a line that names the
/// address tried and the server's reason.
Result<QSqlDatabase> openDatabase(const DatabaseUrl &url, const QString &connectionName,
                                  int connectTimeoutSeconds = 5);

/// Closes and forgets the connection \a connectionName.
void closeDatabase(const QString &connectionName);

/// The text of a failed query, for logs and errors.
QString describeError(const class QSqlQuery &query);

} // namespace flashsale::db
