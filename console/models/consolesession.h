#pragma once

#include "adminclient.h"
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

    /// Connects and keeps the connection up; the models fill in as answers arrive.
    void connectToServer(const QUrl &baseUrl, const QString &token);
    void disconnectFromServer();
    /// Lists products, sales and kill switches again.
    void refresh();

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
    void breakersChanged(const QMap<QString, QString> &breakers);

private:
    void applyDegradation(const adminapi::Degradation &degradation);

    adminapi::AdminClient m_client;
    ProductsTableModel m_products;
    LiveHistory m_history;
    adminapi::Degradation m_degradation;
    QMap<QString, QString> m_breakers;
    QTimer m_clockTimer;
    QTimer m_refreshTimer;
    qint64 m_clockOffsetMs = 0; ///< server clock minus local clock
    QHash<qint64, QDateTime> m_updatedAt; ///< server time each sale's last update arrived
};

} // namespace flashsale::console
