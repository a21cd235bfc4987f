#pragma once

#include "passwordhasher.h"
#include "result.h"

#include <QSqlDatabase>

#include <optional>

namespace flashsale::users {

/// A shopper's row in `users`.
struct UserRecord
{
    qint64 id = 0;
    QString username;
    StoredPassword password;
};

/// The `users` table. Calls block: run them on a db::SqlExecutor thread.
namespace userstore {

/// Inserts a user; the value is empty when the username is taken.
Result<std::optional<qint64>> insert(QSqlDatabase &db, const QString &username,
                                     const StoredPassword &password);

/// The user named \a username, if there is one.
Result<std::optional<UserRecord>> find(QSqlDatabase &db, const QString &username);

} // namespace userstore

} // namespace flashsale::users
