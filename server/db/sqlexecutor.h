#pragma once

#include "databaseurl.h"
#include "threadhandoff.h"

#include <QFuture>
#include <QPromise>
#include <QSqlDatabase>
#include <QThreadPool>

#include <memory>
#include <type_traits>

namespace flashsale::db {

/// Runs database work on a small pool of threads, each with its own connection, so an
/// event-loop thread never waits for PostgreSQL. The work gets the thread's connection
/// (opened on first use and again after it broke) and its result arrives as a QFuture;
/// continue with `.then(context, ...)` to get back to the caller's thread. stop() (or the
/// destructor) closes every thread's connection on that thread before the threads end.
class SqlExecutor
{
public:
    SqlExecutor(DatabaseUrl url, int threads);
    ~SqlExecutor();

    /// Runs \a work(QSqlDatabase &) on a pool thread; its return value is the future's.
    template<typename Work>
    auto run(Work work) -> QFuture<std::invoke_result_t<Work, QSqlDatabase &>>
    {
        using T = std::invoke_result_t<Work, QSqlDatabase &>;
        auto promise = std::make_shared<QPromise<T>>();
        QFuture<T> future = promise->future();
        promise->start();
        QRunnable *job = QRunnable::create([this, promise, work = std::move(work)]() mutable {
            handoff::acquireFrom(this);
            QSqlDatabase db = connection();
            promise->addResult(work(db));
            promise->finish();
            handoff::releaseTo(this); // to stop()
        });
        handoff::releaseTo(this); // the pool's queue is Qt's, invisible to ThreadSanitizer
        m_pool.start(job);
        return future;
    }

    /// Runs what is queued, then closes each thread's connection on its own thread and ends
    /// the threads. Work given after this starts new threads (and connections), which the
    /// destructor closes the same way.
    void stop();

private:
    QSqlDatabase connection();
    QString connectionName() const;

    DatabaseUrl m_url;
    QString m_prefix; ///< connection names: prefix + thread, unique per executor
    QThreadPool m_pool;
};

} // namespace flashsale::db
