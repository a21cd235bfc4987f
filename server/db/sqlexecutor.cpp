#include "sqlexecutor.h"

#include "database.h"

#include <QThread>
#include <QUuid>

namespace flashsale::db {

SqlExecutor::SqlExecutor(DatabaseUrl url, int threads)
    : m_url(std::move(url))
    , m_prefix(QUuid::createUuid().toString(QUuid::Id128).left(8))
{
    m_pool.setMaxThreadCount(std::max(threads, 1));
    // Connections belong to their thread: keep the threads (and connections) alive.
    m_pool.setExpiryTimeout(-1);
}

SqlExecutor::~SqlExecutor()
{
    m_pool.waitForDone();
    // The pool's threads end with the pool; their connections are removed by name here,
    // after the threads are gone (QSqlDatabase allows removal from another thread once
    // its owner has finished).
    m_pool.clear();
}

QSqlDatabase SqlExecutor::connection()
{
    const QString name =
        QStringLiteral("sql-%1-%2").arg(m_prefix).arg(quintptr(QThread::currentThreadId()), 0, 16);
    QSqlDatabase db = QSqlDatabase::database(name, false);
    if (db.isValid() && db.isOpen())
        return db;
    if (db.isValid()) {
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(name);
    }
    const Result<QSqlDatabase> opened = openDatabase(m_url, name, 3);
    if (!opened) {
        qCWarning(lcDatabase).noquote() << opened.error();
        return QSqlDatabase();
    }
    return opened.value();
}

} // namespace flashsale::db
