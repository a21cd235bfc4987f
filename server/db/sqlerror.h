#pragma once

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

namespace flashsale::db {

/// The error of a failed \a query, for a Result. When the connection itself broke, it is
/// closed so that the next use (see SqlExecutor) opens a fresh one.
QString queryFailure(QSqlDatabase &db, const QSqlQuery &query);

} // namespace flashsale::db
