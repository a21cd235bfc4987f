#pragma once

#include "result.h"

#include <QHostAddress>
#include <QList>
#include <QObject>

#include <functional>

class QHttpServer;
class QThread;

namespace flashsale::http {

/// Serves HTTP on several event-loop threads: one QHttpServer per thread, each on its own
/// listening socket bound to the same port with SO_REUSEPORT, so the kernel spreads the
/// connections and no lock is shared between the loops.
class ListenerPool : public QObject
{
    Q_OBJECT
public:
    /// Called once on each serving thread to add the routes to that thread's server.
    using Setup = std::function<void(QHttpServer &server)>;

    explicit ListenerPool(QString name, QObject *parent = nullptr);
    ~ListenerPool() override;

    /// Starts \a threads threads listening on \a address:\a port (0: a free port, the same
    /// for every thread). Returns the port bound.
    Result<quint16> start(const QHostAddress &address, quint16 port, int threads, Setup setup,
                          qint64 maxUnansweredBytes);

    /// Stops listening and joins the threads; the servers are deleted on their threads.
    void stop();

    int threadCount() const { return int(m_threads.size()); }

private:
    QString m_name;
    QList<QThread *> m_threads;
    QList<QObject *> m_contexts; ///< one per thread, living there: parent of its server
};

/// A listening TCP socket with SO_REUSEADDR and SO_REUSEPORT, or why it could not be made.
Result<int> openReusePortSocket(const QHostAddress &address, quint16 port);

} // namespace flashsale::http
