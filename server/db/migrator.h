#pragma once

#include "result.h"

#include <QSqlDatabase>
#include <QStringList>

namespace flashsale::db {

/// Brings a database's schema up to date with the migrations compiled in from sql/
/// (`:/sql/NNN_name.sql`, applied in order of NNN). Applied versions are recorded in
/// `schema_version`; each migration runs in its own transaction, under an advisory lock,
/// so several servers starting at once apply each migration exactly once.
class Migrator
{
public:
    explicit Migrator(QSqlDatabase db);

    /// Applies what is missing; returns how many migrations were applied.
    Result<int> migrate();

    /// The highest version applied, 0 for an empty database.
    Result<int> currentVersion();

    /// The versions compiled in, ascending.
    static QList<int> availableVersions();

private:
    QSqlDatabase m_db;
};

} // namespace flashsale::db
