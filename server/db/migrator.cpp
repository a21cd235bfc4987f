#include "migrator.h"

#include "database.h"

#include <QDir>
#include <QFile>
#include <QMap>
#include <QSqlQuery>

namespace flashsale::db {

namespace {

// Any fixed number: the key of the advisory lock that serialises migrations.
constexpr qint64 migrationLockKey = 0x666c617368; // "flash"

struct Migration
{
    int version = 0;
    QString name;
    QString path;
};

QMap<int, Migration> compiledMigrations()
{
    QMap<int, Migration> migrations;
    const QDir dir(QStringLiteral(":/sql"));
    for (const QString &file : dir.entryList({QStringLiteral("*.sql")}, QDir::Files)) {
        bool ok = false;
        const int version = file.section(u'_', 0, 0).toInt(&ok);
        if (ok && version > 0)
            migrations.insert(version, {version, file, dir.filePath(file)});
    }
    return migrations;
}

Status exec(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    if (!query.exec(sql))
        return Status::failure(describeError(query));
    return Status::success();
}

} // namespace

Migrator::Migrator(QSqlDatabase db)
    : m_db(std::move(db))
{ }

QList<int> Migrator::availableVersions()
{
    return compiledMigrations().keys();
}

Result<int> Migrator::currentVersion()
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("SELECT to_regclass('schema_version') IS NOT NULL"))
        || !query.next())
        return Result<int>::failure(describeError(query));
    if (!query.value(0).toBool())
        return 0;
    if (!query.exec(QStringLiteral("SELECT coalesce(max(version), 0) FROM schema_version"))
        || !query.next())
        return Result<int>::failure(describeError(query));
    return query.value(0).toInt();
}

Result<int> Migrator::migrate()
{
    if (Status s = exec(m_db, QStringLiteral("SELECT pg_advisory_lock(%1)").arg(migrationLockKey));
        !s)
        return Result<int>::failure(QStringLiteral("migration lock: ") + s.error());
    auto unlock = qScopeGuard([this] {
        exec(m_db, QStringLiteral("SELECT pg_advisory_unlock(%1)").arg(migrationLockKey));
    });

    if (Status s = exec(m_db,
                        QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version ("
                                       " version integer PRIMARY KEY,"
                                       " name text NOT NULL,"
                                       " applied_at timestamptz NOT NULL DEFAULT now())"));
        !s)
        return Result<int>::failure(QStringLiteral("schema_version: ") + s.error());

    const Result<int> current = currentVersion();
    if (!current)
        return current;

    int applied = 0;
    for (const Migration &migration : compiledMigrations()) {
        if (migration.version <= current.value())
            continue;
        QFile file(migration.path);
        if (!file.open(QIODevice::ReadOnly))
            return Result<int>::failure(QStringLiteral("cannot read migration ") + migration.name);
        const QString sql = QString::fromUtf8(file.readAll());

        if (!m_db.transaction())
            return Result<int>::failure(QStringLiteral("cannot begin a transaction"));
        QSqlQuery record(m_db);
        record.prepare(QStringLiteral("INSERT INTO schema_version (version, name) VALUES (?, ?)"));
        record.addBindValue(migration.version);
        record.addBindValue(migration.name);
        Status s = exec(m_db, sql);
        if (s && !record.exec())
            s = Status::failure(describeError(record));
        if (!s || !m_db.commit()) {
            m_db.rollback();
            return Result<int>::failure(
                QStringLiteral("migration %1 failed: %2")
                    .arg(migration.name, s ? QStringLiteral("commit failed") : s.error()));
        }
        qCInfo(lcDatabase) << "applied migration" << migration.name;
        ++applied;
    }
    return applied;
}

} // namespace flashsale::db
