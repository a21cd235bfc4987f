#pragma once

#include "result.h"

#include <QList>
#include <QMutex>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <thread>

namespace flashsale::bench {

/// What happened to one component in a chaos rehearsal.
struct ChaosEvent
{
    QString component; ///< api, worker, redis, rabbitmq or postgres
    double killedAtS = -1; ///< seconds from the sale's start
    double restartedAtS = -1; ///< when it was started again
    double backAtS = -1; ///< when it answered again (-1: it did not)
    qint64 newPid = 0; ///< the restarted server process (api, worker)
    QString detail; ///< how it was killed, or why not
};

/// `--chaos`: kills the site's parts in turn mid-sale and starts each again, on a
/// packaging/stack site on this machine. Redis and RabbitMQ get SIGKILL, PostgreSQL an
/// immediate shutdown (SIGQUIT to the postmaster); each is started again by `packaging/stack
/// start`. An API instance (a flashsale-server in role api, else all) and a worker (role
/// worker), the site's by their database, get SIGKILL and are started again with the same command
/// line, environment and folder (their output then goes to DIR/chaos-<component>.log). It runs on a
/// thread of its own, so the load and the progress line go on meanwhile.
class ChaosMonkey
{
public:
    static const QStringList &components();

    /// The components of \a list, in the order they are to be hit; the error names one that
    /// is not known.
    static Result<QStringList> parse(const QString &list);

    /// \a stackDir: the stack's folder; \a stackScript: packaging/stack; \a databaseUrl: the
    /// site's database, which tells its server processes from any other site's; \a adminPort:
    /// the admin API's port (a server told to listen on port 0 comes back on its old ports).
    ChaosMonkey(QStringList components, QString stackDir, QString stackScript, QString databaseUrl,
                quint16 adminPort);
    ~ChaosMonkey();

    /// Starts hitting, the first component at \a firstAtS, each \a downS seconds down, the
    /// next \a gapS after the previous came back. \a clock: seconds from the sale's start.
    void start(double firstAtS, double downS, double gapS, std::function<double()> clock);
    bool finished() const { return m_finished.load(); }
    void join();
    QList<ChaosEvent> events() const;

private:
    void run(double firstAtS, double downS, double gapS);
    ChaosEvent hit(const QString &component, double downS);
    /// A line for the terminal, printed as it happens.
    void say(const QString &line) const;

    QStringList m_components;
    QString m_stackDir;
    QString m_stackScript;
    QString m_databaseUrl;
    quint16 m_adminPort = 0;
    std::function<double()> m_clock;
    std::thread m_thread;
    std::atomic<bool> m_finished {true};
    mutable QMutex m_lock;
    QList<ChaosEvent> m_events;
};

} // namespace flashsale::bench
