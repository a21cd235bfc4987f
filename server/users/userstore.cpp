#include "userstore.h"

#include "sqlerror.h"

#include <QSqlQuery>
#include <QVariant>

namespace flashsale::users::userstore {

Result<std::optional<qint64>> insert(QSqlDatabase &db, const QString &username,
                                     const StoredPassword &password)
{
    using R = Result<std::optional<qint64>>;
    QSqlQuery query(db);
    query.prepare(QStringLiteral(
        "INSERT INTO users (username, password_hash, password_salt) VALUES (?, ?, ?) "
        "ON CONFLICT (username) DO NOTHING RETURNING id"));
    query.addBindValue(username);
    query.addBindValue(password.hash);
    query.addBindValue(password.salt);
    if (!query.exec())
        return R::failure(db::queryFailure(db, query));
    if (!query.next())
        return R(std::nullopt);
    return R(query.value(0).toLongLong());
}

Result<std::optional<UserRecord>> find(QSqlDatabase &db, const QString &username)
{
    using R = Result<std::optional<UserRecord>>;
    QSqlQuery query(db);
    query.prepare(QStringLiteral(
        "SELECT id, username, password_hash, password_salt FROM users WHERE username = ?"));
    query.addBindValue(username);
    if (!query.exec())
        return R::failure(db::queryFailure(db, query));
    if (!query.next())
        return R(std::nullopt);
    return R(UserRecord {query.value(0).toLongLong(),
                         query.value(1).toString(),
                         {query.value(2).toString(), query.value(3).toString()}});
}

} // namespace flashsale::users::userstore
