#pragma once

#include "degradation.h"
#include "goods.h"
#include "salelist.h"
#include "saleschedule.h"
#include "salestatus.h"
#include "stats.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QObject>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

#include <functional>
#include <optional>

class QNetworkReply;

namespace flashsale::adminapi {

/// Talks to flashsale-server's admin API: REST calls through QNetworkAccessManager and the
/// 1 Hz live feed through a WebSocket. Everything is asynchronous; answers and errors come
/// back as signals. Once connectToServer() is called it keeps the connection up by itself
/// (with growing delays) until disconnectFromServer(), except after a refused token.
class AdminClient : public QObject
{
    Q_OBJECT
public:
    /// Where the connection stands.
    enum class State {
        Disconnected, ///< not asked to connect
        Connecting, ///< first attempt or reconnecting
        Connected, ///< the admin API answered and the live feed is open
        Unreachable, ///< the server did not answer; retrying
        Unauthorized, ///< the token was refused; not retrying until told again
    };
    Q_ENUM(State)

    explicit AdminClient(QObject *parent = nullptr);
    ~AdminClient() override;

    /// Connects to the admin API at \a baseUrl (e.g. http://127.0.0.1:8081) with \a token.
    /// An invalid URL or empty token is reported at once through stateChanged().
    void connectToServer(const QUrl &baseUrl, const QString &token);
    /// Closes the live feed and stops reconnecting.
    void disconnectFromServer();

    State state() const { return m_state; }
    /// The latest state message, for people.
    QString stateMessage() const { return m_stateMessage; }
    QUrl baseUrl() const { return m_baseUrl; }
    /// True while a reconnection attempt is scheduled (never after a refused token).
    bool isReconnecting() const { return m_reconnectTimer.isActive(); }
    /// True while the live feed is open (REST calls may work without it).
    bool isLive() const { return m_liveOpen; }
    /// When the last live message arrived (invalid before the first).
    QDateTime lastLiveMessage() const { return m_lastLive; }

    /// Delays between reconnection attempts: \a firstMs, doubling up to \a maxMs.
    void setReconnectDelays(int firstMs, int maxMs);
    /// The live feed is considered dead after \a ms without a message.
    void setLiveTimeout(int ms);
    /// Gives up on a REST call after \a ms.
    void setRequestTimeout(int ms) { m_requestTimeoutMs = ms; }

    // REST calls. Each answers with its signal below or with requestFailed().
    void fetchGoods();
    void createGoods(const Goods &goods);
    void updateGoods(const Goods &goods);
    void fetchSales();
    void fetchSale(qint64 goodsId);
    /// Preloads the stock and sets the times and rate (PUT /admin/sales/{goodsId}).
    void scheduleSale(qint64 goodsId, const SaleSchedule &schedule);
    /// Adds \a add units, also during a live sale.
    void addStock(qint64 goodsId, qint64 add);
    void setRate(qint64 goodsId, double ratePerSecond, qint64 burst);
    void fetchDegradation();
    /// Trips (\a on) or resets the kill switch of the site (no \a goodsId) or of one product.
    void setDegradation(std::optional<qint64> goodsId, bool on, const QString &message);
    void fetchStats();

    /// "Cannot reach ...", "The server refused the admin token ..." etc. for \a reply.
    static QString describeError(QNetworkReply *reply, const QByteArray &body);
    /// ws(s)://host:port/admin/live for an http(s) admin base URL.
    static QUrl liveUrl(const QUrl &baseUrl);

Q_SIGNALS:
    void stateChanged(flashsale::adminapi::AdminClient::State state, const QString &message);
    void goodsListed(const QList<flashsale::adminapi::Goods> &goods);
    /// \a created is true for POST, false for PUT.
    void goodsSaved(const flashsale::adminapi::Goods &goods, bool created);
    void salesListed(const QList<flashsale::adminapi::SaleStatus> &sales,
                     const QDateTime &serverTime);
    /// The answer of fetchSale, scheduleSale, addStock and setRate.
    void saleUpdated(const flashsale::adminapi::SaleStatus &sale);
    void degradationReceived(const flashsale::adminapi::Degradation &degradation);
    /// The answer of fetchStats.
    void statsReceived(const flashsale::adminapi::Stats &stats);
    /// The live feed opened or closed (it is retried by itself while connected).
    void liveChanged(bool live);
    /// One message of the live feed.
    void liveStats(const flashsale::adminapi::Stats &stats);
    /// A call failed; \a operation says which ("schedule sale 3"), \a error why.
    void requestFailed(const QString &operation, const QString &error);

private:
    using JsonHandler = std::function<void(const QJsonDocument &)>;

    void send(const QByteArray &verb, const QString &path, const QJsonObject *body,
              const QString &operation, JsonHandler onSuccess);
    QNetworkRequest request(const QString &path) const;
    void setState(State state, const QString &message);
    void probe();
    void openLive();
    void scheduleReconnect(const QString &why, State state);
    void onLiveMessage(const QString &message);
    void onLiveClosed();
    void liveLost(const QString &why);
    void setLive(bool live);
    void handleSaleReply(const QJsonDocument &json, const QString &operation);
    void handleDegradationReply(const QJsonDocument &json, const QString &operation);

    QNetworkAccessManager m_network;
    QWebSocket m_live;
    QTimer m_reconnectTimer;
    QTimer m_liveWatchdog;
    QUrl m_baseUrl;
    QString m_token;
    State m_state = State::Disconnected;
    QString m_stateMessage;
    QDateTime m_lastLive;
    int m_firstDelayMs = 500;
    int m_maxDelayMs = 8000;
    int m_nextDelayMs = 500;
    int m_requestTimeoutMs = 10'000;
    quint64 m_generation = 0; ///< bumped on every (dis)connect so stale answers are ignored
    bool m_wanted = false;
    bool m_liveOpen =
        false; ///< the WebSocket is open ///< connectToServer() called and not cancelled
};

} // namespace flashsale::adminapi
