#include "sqlexecutor.h"

#include "database.h"

#include <QThread>
#include <QUuid>

#include <latch>
#include <memory>

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
    stop();
}

void SqlExecutor::stop()
{
    // A connection belongs to the thread that opened it, so each pool thread closes its own,
    // before the pool ends its threads (QThreadPool::waitForDone() does; a connection left
    // behind then is one nobody can close). One job per thread, queued behind the work
    // already given, each held at the latch until all have started, so that no thread takes
    // two (the pool starts threads up to its maximum for jobs that wait).
    const int threads = m_pool.maxThreadCount();
    const auto allStarted = std::make_shared<std::latch>(threads);
    for (int i = 0; i < threads; ++i) {
        QRunnable *job = QRunnable::create([this, allStarted] {
            handoff::acquireFrom(this);
            allStarted->arrive_and_wait();
            closeDatabase(connectionName());
            handoff::releaseTo(this);
        });
        handoff::releaseTo(this);
        m_pool.start(job);
    }
    m_pool.waitForDone();
    handoff::acquireFrom(this);
}

QString SqlExecutor::connectionName() const
{
    return QStringLiteral("sql-%1-%2")
        .arg(m_prefix)
        .arg(quintptr(QThread::currentThreadId()), 0, 16);
}

QSqlDatabase SqlExecutor::connection()
{
    const QString name = connectionName();
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
