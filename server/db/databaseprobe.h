#pragma once

#include "databaseurl.h"

#include <QObject>
#include <QTimer>

namespace flashsale::db {

/// Checks every interval that PostgreSQL answers, on its own connection. Lives on a thread
/// of its own (moveToThread), so a slow or dead server never blocks an event loop that
/// serves requests.
class DatabaseProbe : public QObject
{
    Q_OBJECT
public:
    explicit DatabaseProbe(DatabaseUrl url, int intervalMs = 1000, QObject *parent = nullptr);
    ~DatabaseProbe() override;

    /// Starts probing; call through a queued invocation once on the probe's thread.
    void start();

Q_SIGNALS:
    /// The outcome of each probe: \a detail names the address, and the reason when down.
    void checked(bool up, const QString &detail);

private:
    void probe();

    DatabaseUrl m_url;
    QString m_connectionName;
    QTimer *m_timer = nullptr;
    int m_intervalMs = 1000;
};

} // namespace flashsale::db
