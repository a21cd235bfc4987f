#pragma once

#include "livefigures.h"

#include <QObject>
#include <QTimer>

#include <functional>

namespace flashsale::redis {
class Redis;
}

namespace flashsale::metrics {

/// Where the live figures of a site are kept in Redis. A site is the processes sharing one
/// database (its name), so test runs or sites sharing a Redis stay apart; the hash tag puts
/// every key of a site on one slot, so one MGET reads them all in a cluster too.
struct FigureKeys
{
    /// `flashsale:figures:{<site>}`: sorted set, record name -> when it was last published.
    static QByteArray index(const QString &site);
    /// `flashsale:figures:{<site>}:<role>:<instance>`: that role's InstanceFigures (JSON),
    /// expiring ttlMs after it was published.
    static QByteArray record(const QString &site, const QByteArray &name);
    /// `<role>:<instance>`, the member of index().
    static QByteArray name(InstanceFigures::Role role, const QByteArray &instance);
    /// How long a record lives without a new one (a stopped or dead process drops out).
    static constexpr int ttlMs = 4000;
    /// Whole seconds each record carries (the reader needs the last few of every instance).
    static constexpr int secondsPublished = 8;
};

/// The `instance` label of this process: "<host>/<pid>".
QByteArray instanceLabel();

/// Publishes one role's figures of this process every second into Redis (FigureKeys), with
/// \a redis (a client of this object's thread). While Redis does not answer nothing is
/// published and the record expires: readers then count this instance out.
class FiguresPublisher : public QObject
{
    Q_OBJECT
public:
    /// The figures of one wall-clock second, read from the role's counters.
    using Source = std::function<SecondFigures(qint64 second)>;

    FiguresPublisher(redis::Redis &redis, const QString &site, InstanceFigures::Role role,
                     Source source, QObject *parent = nullptr);

    /// Publishes now and then every second.
    void start();
    /// This process's figures now, as published (for tests and logs).
    InstanceFigures snapshot() const;

private:
    void publish();

    redis::Redis &m_redis;
    QString m_site;
    InstanceFigures::Role m_role;
    Source m_source;
    QByteArray m_name;
    QTimer m_timer;
    bool m_failing = false; ///< to log a spell of failures once
};

/// Reads the live figures of a site from Redis and sums them (SiteFigures::sum).
class FiguresReader
{
public:
    /// What was read: the site's figures and whether Redis answered.
    struct Reading
    {
        bool ok = false; ///< false: Redis did not answer (error says why), figures are empty
        QString error;
        QList<InstanceFigures> live; ///< the records of the live instances
        SiteFigures site; ///< their sum
    };

    /// Reads with \a redis (a client of the calling thread) and calls \a done once.
    static void read(redis::Redis &redis, const QString &site, QObject *context,
                     std::function<void(const Reading &)> done);
};

} // namespace flashsale::metrics
