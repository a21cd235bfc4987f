#pragma once

#include "result.h"

#include <QString>

namespace flashsale::db {

/// Where a PostgreSQL database is: parsed from `postgres://user:password@host:port/name`
/// (`postgresql://` too; port defaults to 5432).
struct DatabaseUrl
{
    QString host; ///< host name or address
    int port = 5432; ///< TCP port
    QString user; ///< role to log in as
    QString password; ///< may be empty (trust or .pgpass)
    QString name; ///< database name

    /// Parses \a url; fails with a message that names what is wrong.
    static Result<DatabaseUrl> parse(const QString &url);

    /// "host:port/name", for messages (no credentials).
    QString displayName() const;
    /// The same database under another name (for test databases).
    DatabaseUrl withName(const QString &otherName) const;
    QString toString() const;
};

} // namespace flashsale::db
