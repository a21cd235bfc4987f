#pragma once

#include "adminapi/adminclient.h"
#include "livehistory.h"
#include "productstablemodel.h"

#include <QObject>
#include <QTimer>

#include <optional>

namespace flashsale::console {

/// Everything the console knows and does, without widgets: the admin API client, the
/// products table, the live history and the kill switches, kept in step with each other.
/// Actions validate their input first and return the faults (empty: sent); the answer
/// arrives later through the models or failed(). The window only shows and asks.
class ConsoleSession : public QObject
{
    Q_OBJECT
public:
    explicit ConsoleSession(QObject *parent = nullptr);

    adminapi::AdminClient &client() { return m_client; }
    ProductsTableModel &products() { return m_products; }
    const ProductsTableModel &products() const { return m_products; }
    LiveHistory &history() { return m_history; }
    const adminapi::Degradation &degradation() const { return m_degradation; }
    /// Breaker states from the newest live message (name -> closed/open/half_open).
    const QMap<QString, QString> &breakers() const { return m_breakers; }

    /// Connects and keeps the connection up; the models fill in as answers arrive. The live
    /// history belongs to the address: connecting to the same one again (say, after a wrong
    /// token) keeps it, another address starts a new one.
    void connectToServer(const QUrl &baseUrl, const QString &token);
    void disconnectFromServer();
    /// The address connected to (or being retried), empty before the first connect.
    QUrl address() const { return m_address; }
    /// Lists products, sales and kill switches again; while the server is unreachable, tries
    /// to reach it now instead of at the next retry.
    void refresh();
    /// True when refresh() does something: a connection is wanted.
    bool canRefresh() const;

    /// True while what the models show is not current: the live feed is down or silent for
    /// longer than the stale delay, or the connection is lost. Only once something was shown.
    bool isStale() const { return m_stale; }
    /// When the last live message arrived (local clock; invalid before the first).
    QDateTime staleSince() const { return m_lastLiveAt; }
    /// After this long without a live message the figures count as stale (default 3 s).
    void setStaleAfter(int ms);

    /// The server's clock: the local clock corrected by the offset seen in /admin/sales.
    QDateTime serverNow() const;

    QStringList createProduct(const adminapi::Goods &goods);
    QStringList updateProduct(const adminapi::Goods &goods);
    /// Preloads stock and schedules the sale (validated against serverNow()).
    QStringList scheduleSale(qint64 goodsId, const adminapi::SaleSchedule &schedule);
    QStringList topUp(qint64 goodsId, qint64 add);
    QStringList setRate(qint64 goodsId, double ratePerSecond, qint64 burst);
    /// Trips or resets the site's kill switch (no \a goodsId) or one product's.
    QStringList setDegradation(std::optional<qint64> goodsId, bool on, const QString &message);

    /// How often the sales are listed again while connected (schedules changed elsewhere).
    void setRefreshInterval(int ms) { m_refreshTimer.setInterval(ms); }

Q_SIGNALS:
    /// Something the operator asked for was done ("Sale 3 scheduled").
    void done(const QString &message);
    /// Something failed; \a operation says what, \a error why.
    void failed(const QString &operation, const QString &error);
    void degradationChanged(const flashsale::adminapi::Degradation &degradation);
    /// The figures became stale (\a stale, with the time of the last live message) or
    /// current again.
    void staleChanged(bool stale, const QDateTime &since);
    void breakersChanged(const QMap<QString, QString> &breakers);

private:
    void applyDegradation(const adminapi::Degradation &degradation);
    void checkStale();

    adminapi::AdminClient m_client;
    ProductsTableModel m_products;
    LiveHistory m_history;
    adminapi::Degradation m_degradation;
    QMap<QString, QString> m_breakers;
    QTimer m_clockTimer;
    QTimer m_refreshTimer;
    QTimer m_staleTimer;
    qint64 m_clockOffsetMs = 0; ///< server clock minus local clock
    QUrl m_address; ///< where connectToServer() pointed last
    QString m_token; ///< its token, for refresh() while unreachable
    QString m_historyAddress; ///< the address the live history was watched at
    QDateTime m_lastLiveAt; ///< local time of the newest live message
    int m_staleAfterMs = 3000;
    bool m_stale = false;
    bool m_degradationKnown = false; ///< m_degradation came from the server
    QHash<qint64, QDateTime> m_updatedAt; ///< server time each sale's last update arrived
};

} // namespace flashsale::console
