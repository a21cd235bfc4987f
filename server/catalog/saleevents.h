#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

namespace flashsale::redis {
class Redis;
}

namespace flashsale::catalog {

class CatalogRefresher;
class SaleCatalog;

/// Keeps this instance in step with the events every instance announces on Redis's event
/// channel (redis::SaleKeys::eventChannel()): `sold_out` and `restocked` set and clear the
/// local sold-out mark at once; an admin change (`config`) reloads the catalog at once.
/// After every reload the marks are read again from Redis, and after the subscription is
/// (re)established everything is reloaded, since events sent meanwhile were missed.
class SaleEvents : public QObject
{
    Q_OBJECT
public:
    /// Listens with \a redis (a client of this object's thread) and updates \a catalog,
    /// asking \a refresher for reloads.
    SaleEvents(redis::Redis &redis, SaleCatalog &catalog, CatalogRefresher &refresher,
               QObject *parent = nullptr);

    /// Subscribes to the event channel.
    void start();

    /// The event announcing an admin change: `{"type":"config","what":<what>,"goodsId":<id>}`
    /// (\a goodsId 0 for a site-wide change, then left out).
    static QByteArray configChanged(const QString &what, qint64 goodsId);

Q_SIGNALS:
    /// An event of \a type (`sold_out`, `restocked`, `config`) was applied.
    void applied(const QString &type, qint64 goodsId);

private:
    void onMessage(const QByteArray &message);
    /// Reads every scheduled sale's sold-out key and sets the local marks to match.
    void readSoldOutMarks();

    redis::Redis &m_redis;
    SaleCatalog &m_catalog;
    CatalogRefresher &m_refresher;
    quint64 m_markEvents = 0; ///< sold_out/restocked events seen: a read older than one loses
};

} // namespace flashsale::catalog
