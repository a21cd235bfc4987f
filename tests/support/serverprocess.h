#pragma once

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace flashsale::test {

/// flashsale-server run as a child process, the way an operator runs it.
class ServerProcess
{
public:
    ServerProcess();
    ~ServerProcess();

    /// Starts the server with \a args and waits until its shoppers' API (role worker: its
    /// health and metrics) listens (it is told
    /// to listen on a free port unless \a args say otherwise). False if it exited or did not
    /// get there within \a timeoutMs; output() tells why.
    bool start(const QStringList &args, const QProcessEnvironment &environment,
               int timeoutMs = 30'000);

    /// Sends SIGTERM and waits; returns the exit code (-1 if it crashed or hung).
    int stop(int timeoutMs = 15'000);

    /// Waits for the process to exit by itself; returns the exit code (-1 on a crash or hang).
    int waitForExit(int timeoutMs = 15'000);

    /// http://host:port of the shoppers' API (role worker: of /healthz, /readyz, /metrics).
    QUrl baseUrl() const { return m_baseUrl; }
    /// http://host:port of the admin API (empty if the server did not say).
    QUrl adminUrl() const { return m_adminUrl; }
    /// Everything the server printed so far.
    QString output();
    QProcess &process() { return m_process; }

    static QString binary();

private:
    QProcess m_process;
    QByteArray m_output;
    QUrl m_baseUrl;
    QUrl m_adminUrl;
};

} // namespace flashsale::test
