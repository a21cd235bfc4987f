#include "adminclient.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkReply>
#include <QNetworkRequest>

Q_LOGGING_CATEGORY(lcAdminClient, "flashsale.adminclient")

namespace flashsale::adminapi {

namespace {

// A stable code for the kind of answer, so the probe can tell a refused token from a server
// that is not there.
constexpr int kNoHttpStatus = 0;

QString hostOf(const QUrl &url)
{
    return url.toString(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery
                        | QUrl::RemoveFragment);
}

} // namespace

AdminClient::AdminClient(QObject *parent)
    : QObject(parent)
{
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &AdminClient::probe);
    m_liveWatchdog.setSingleShot(true);
    m_liveWatchdog.setInterval(5000);
    connect(&m_liveWatchdog, &QTimer::timeout, this, [this] {
        qCWarning(lcAdminClient) << "live feed silent for" << m_liveWatchdog.interval() << "ms";
        m_live.abort();
        liveLost(tr("no live data for %1 s").arg(m_liveWatchdog.interval() / 1000.0));
    });
    connect(&m_live, &QWebSocket::connected, this, [this] {
        qCInfo(lcAdminClient) << "live feed open at" << m_live.requestUrl().toString();
        m_nextDelayMs = m_firstDelayMs;
        m_liveWatchdog.start();
        setLive(true);
        setState(State::Connected, tr("Connected to %1").arg(hostOf(m_baseUrl)));
    });
    connect(&m_live, &QWebSocket::textMessageReceived, this, &AdminClient::onLiveMessage);
    connect(&m_live, &QWebSocket::disconnected, this, &AdminClient::onLiveClosed);
    connect(&m_live, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError error) {
                qCWarning(lcAdminClient) << "live feed error" << error << m_live.errorString();
                // A failed handshake does not always emit disconnected(); treat both alike.
                onLiveClosed();
            });
}

AdminClient::~AdminClient()
{
    m_wanted = false;
    m_live.disconnect(this);
    m_live.abort();
}

void AdminClient::setReconnectDelays(int firstMs, int maxMs)
{
    m_firstDelayMs = firstMs;
    m_maxDelayMs = qMax(firstMs, maxMs);
    m_nextDelayMs = firstMs;
}

void AdminClient::setLiveTimeout(int ms)
{
    m_liveWatchdog.setInterval(ms);
}

QUrl AdminClient::liveUrl(const QUrl &baseUrl)
{
    QUrl url = baseUrl;
    url.setScheme(baseUrl.scheme() == u"https" ? QStringLiteral("wss") : QStringLiteral("ws"));
    QString path = baseUrl.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path + QStringLiteral("/admin/live"));
    url.setQuery(QString());
    return url;
}

void AdminClient::connectToServer(const QUrl &baseUrl, const QString &token)
{
    disconnectFromServer();
    if (!baseUrl.isValid() || (baseUrl.scheme() != u"http" && baseUrl.scheme() != u"https")
        || baseUrl.host().isEmpty()) {
        setState(
            State::Disconnected,
            tr("'%1' is not an admin API address: use http://host:port").arg(baseUrl.toString()));
        return;
    }
    if (token.isEmpty()) {
        setState(State::Disconnected, tr("The admin token is empty"));
        return;
    }
    m_baseUrl = baseUrl;
    m_token = token;
    m_wanted = true;
    m_nextDelayMs = m_firstDelayMs;
    setState(State::Connecting, tr("Connecting to %1").arg(hostOf(m_baseUrl)));
    probe();
}

void AdminClient::disconnectFromServer()
{
    const bool wasWanted = m_wanted;
    m_wanted = false;
    ++m_generation;
    m_reconnectTimer.stop();
    m_liveWatchdog.stop();
    m_live.abort();
    setLive(false);
    if (wasWanted || m_state != State::Disconnected)
        setState(State::Disconnected, tr("Disconnected"));
}

void AdminClient::setState(State state, const QString &message)
{
    if (state == m_state && message == m_stateMessage)
        return;
    m_state = state;
    m_stateMessage = message;
    qCInfo(lcAdminClient).noquote() << "state" << int(state) << message;
    Q_EMIT stateChanged(state, message);
}

QNetworkRequest AdminClient::request(const QString &path) const
{
    QUrl url = m_baseUrl;
    QString base = m_baseUrl.path();
    while (base.endsWith(u'/'))
        base.chop(1);
    url.setPath(base + path);
    QNetworkRequest req(url);
    req.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    req.setTransferTimeout(m_requestTimeoutMs);
    return req;
}

QString AdminClient::describeError(QNetworkReply *reply, const QByteArray &body)
{
    const QVariant statusAttr = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const QString where = hostOf(reply->url());
    if (!statusAttr.isValid()) {
        if (reply->error() == QNetworkReply::OperationCanceledError
            || reply->error() == QNetworkReply::TimeoutError)
            return tr("No answer from %1 in time (is the server overloaded or stopped?)")
                .arg(where);
        return tr("Cannot reach %1: %2").arg(where, reply->errorString());
    }
    const int status = statusAttr.toInt();
    if (status == 401)
        return tr("The server at %1 refused the admin token (401 unauthorized): check the "
                  "token in the connection settings")
            .arg(where);
    const QJsonObject error = QJsonDocument::fromJson(body).object();
    const QString code = error.value(QStringLiteral("error")).toString();
    const QString message = error.value(QStringLiteral("message")).toString();
    if (!message.isEmpty())
        return tr("%1 (%2, HTTP %3)").arg(message, code).arg(status);
    if (status == 404)
        return tr("%1 has no %2 (HTTP 404): is this the admin address, not the shoppers' one?")
            .arg(where, reply->url().path());
    return tr("HTTP %1 %2 from %3")
        .arg(status)
        .arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString(),
             reply->url().toString(QUrl::RemoveUserInfo));
}

void AdminClient::send(const QByteArray &verb, const QString &path, const QJsonObject *body,
                       const QString &operation, JsonHandler onSuccess)
{
    if (!m_baseUrl.isValid() || m_token.isEmpty()) {
        // Answer asynchronously like every other failure, so callers see one code path.
        QMetaObject::invokeMethod(
            this,
            [this, operation] { Q_EMIT requestFailed(operation, tr("Not connected to a server")); },
            Qt::QueuedConnection);
        return;
    }
    const QByteArray data =
        body ? QJsonDocument(*body).toJson(QJsonDocument::Compact) : QByteArray();
    QNetworkReply *reply = m_network.sendCustomRequest(request(path), verb, data);
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, operation, onSuccess = std::move(onSuccess)] {
                reply->deleteLater();
                const QByteArray answer = reply->readAll();
                const int status =
                    reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                if (status >= 200 && status < 300) {
                    QJsonParseError parseError;
                    const QJsonDocument json = QJsonDocument::fromJson(answer, &parseError);
                    if (parseError.error != QJsonParseError::NoError) {
                        const QString error =
                            tr("The server sent invalid JSON: %1").arg(parseError.errorString());
                        qCWarning(lcAdminClient).noquote() << operation << error;
                        Q_EMIT requestFailed(operation, error);
                        return;
                    }
                    onSuccess(json);
                    return;
                }
                const QString error = describeError(reply, answer);
                qCWarning(lcAdminClient).noquote() << operation << "failed:" << error;
                if (status == 401) {
                    m_wanted = false;
                    m_reconnectTimer.stop();
                    m_liveWatchdog.stop();
                    m_live.abort();
                    setLive(false);
                    setState(State::Unauthorized, error);
                }
                Q_EMIT requestFailed(operation, error);
                if (status == kNoHttpStatus && m_wanted && m_state == State::Connected)
                    scheduleReconnect(error, State::Unreachable);
            });
}

void AdminClient::probe()
{
    if (!m_wanted)
        return;
    const quint64 generation = m_generation;
    QNetworkReply *reply = m_network.get(request(QStringLiteral("/admin/sales")));
    connect(reply, &QNetworkReply::finished, this, [this, reply, generation] {
        reply->deleteLater();
        if (generation != m_generation || !m_wanted)
            return; // an answer for a connection given up since
        const QByteArray answer = reply->readAll();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 200) {
            const QJsonObject json = QJsonDocument::fromJson(answer).object();
            const Result<SaleList> list = SaleList::fromJson(json);
            QString fault = list ? QString() : list.error();
            if (!json.contains(QStringLiteral("sales")))
                fault = tr("%1/admin/sales did not answer {sales: [...]}: is this a flashsale "
                           "admin address?")
                            .arg(hostOf(m_baseUrl));
            if (!fault.isEmpty()) {
                qCWarning(lcAdminClient).noquote() << "probe:" << fault;
                scheduleReconnect(fault, State::Unreachable);
                return;
            }
            // The REST API answers: operators can work even while the live feed is down.
            if (m_state != State::Connected)
                setState(State::Connected, tr("Connected to %1").arg(hostOf(m_baseUrl)));
            Q_EMIT salesListed(list->sales, list->serverTime);
            openLive();
            return;
        }
        QString error = describeError(reply, answer);
        if (status == 404)
            error = tr("%1 has no admin API (404 for /admin/sales): is this the admin address, "
                       "not the shoppers' one?")
                        .arg(hostOf(m_baseUrl));
        if (status == 401) {
            m_wanted = false;
            setState(State::Unauthorized, error);
            return;
        }
        scheduleReconnect(error, State::Unreachable);
    });
}

void AdminClient::openLive()
{
    m_live.abort();
    QNetworkRequest req(liveUrl(m_baseUrl));
    req.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    m_live.open(req);
    // The watchdog also covers a handshake that never finishes.
    m_liveWatchdog.start();
}

void AdminClient::scheduleReconnect(const QString &why, State state)
{
    if (!m_wanted || m_reconnectTimer.isActive())
        return;
    m_liveWatchdog.stop();
    const int delay = m_nextDelayMs;
    m_nextDelayMs = qMin(m_nextDelayMs * 2, m_maxDelayMs);
    setState(state, tr("%1; retrying in %2 s").arg(why).arg(delay / 1000.0));
    m_reconnectTimer.start(delay);
}

void AdminClient::onLiveMessage(const QString &message)
{
    m_liveWatchdog.start();
    QJsonParseError parseError;
    const QJsonDocument json = QJsonDocument::fromJson(message.toUtf8(), &parseError);
    if (!json.isObject()) {
        qCWarning(lcAdminClient) << "live message is not a JSON object:"
                                 << parseError.errorString();
        return;
    }
    Result<Stats> stats = Stats::fromJson(json.object());
    if (!stats) {
        qCWarning(lcAdminClient).noquote() << "live message ignored:" << stats.error();
        return;
    }
    m_lastLive = QDateTime::currentDateTimeUtc();
    Q_EMIT liveStats(stats.value());
}

void AdminClient::onLiveClosed()
{
    if (!m_wanted)
        return;
    QString why = m_live.closeReason();
    if (why.isEmpty())
        why = m_live.errorString();
    liveLost(why);
}

void AdminClient::liveLost(const QString &why)
{
    m_live.abort();
    setLive(false);
    const QString message = tr("Live feed from %1 lost (%2)").arg(hostOf(m_baseUrl), why);
    // Still connected as far as the REST API goes: the next probe says whether the server
    // itself is gone (Unreachable) or only the feed (stays Connected, feed retried).
    scheduleReconnect(message, m_state == State::Connected ? State::Connected : State::Connecting);
}

void AdminClient::setLive(bool live)
{
    if (live == m_liveOpen)
        return;
    m_liveOpen = live;
    Q_EMIT liveChanged(live);
}

void AdminClient::handleSaleReply(const QJsonDocument &json, const QString &operation)
{
    Result<SaleStatus> sale = SaleStatus::fromJson(json.object());
    if (!sale) {
        Q_EMIT requestFailed(operation, sale.error());
        return;
    }
    Q_EMIT saleUpdated(sale.value());
}

void AdminClient::handleDegradationReply(const QJsonDocument &json, const QString &operation)
{
    Result<Degradation> d = Degradation::fromJson(json.object());
    if (!d)
        Q_EMIT requestFailed(operation, d.error());
    else
        Q_EMIT degradationReceived(d.value());
}

void AdminClient::fetchGoods()
{
    const QString operation = tr("list products");
    send("GET", QStringLiteral("/admin/goods"), nullptr, operation,
         [this, operation](const QJsonDocument &json) {
             QList<Goods> goods;
             for (const QJsonValue &value :
                  json.object().value(QStringLiteral("goods")).toArray()) {
                 Result<Goods> g = Goods::fromJson(value.toObject());
                 if (!g) {
                     Q_EMIT requestFailed(operation, g.error());
                     return;
                 }
                 goods.append(g.value());
             }
             Q_EMIT goodsListed(goods);
         });
}

void AdminClient::createGoods(const Goods &goods)
{
    const QString operation = tr("create product '%1'").arg(goods.name);
    const QJsonObject body = goods.toRequestJson();
    send("POST", QStringLiteral("/admin/goods"), &body, operation,
         [this, operation](const QJsonDocument &json) {
             Result<Goods> g = Goods::fromJson(json.object());
             if (!g)
                 Q_EMIT requestFailed(operation, g.error());
             else
                 Q_EMIT goodsSaved(g.value(), true);
         });
}

void AdminClient::updateGoods(const Goods &goods)
{
    const QString operation = tr("update product %1").arg(goods.goodsId);
    const QJsonObject body = goods.toRequestJson();
    send("PUT", QStringLiteral("/admin/goods/%1").arg(goods.goodsId), &body, operation,
         [this, operation](const QJsonDocument &json) {
             Result<Goods> g = Goods::fromJson(json.object());
             if (!g)
                 Q_EMIT requestFailed(operation, g.error());
             else
                 Q_EMIT goodsSaved(g.value(), false);
         });
}

void AdminClient::fetchSales()
{
    const QString operation = tr("list sales");
    send("GET", QStringLiteral("/admin/sales"), nullptr, operation,
         [this, operation](const QJsonDocument &json) {
             const Result<SaleList> list = SaleList::fromJson(json.object());
             if (!list)
                 Q_EMIT requestFailed(operation, list.error());
             else
                 Q_EMIT salesListed(list->sales, list->serverTime);
         });
}

void AdminClient::fetchSale(qint64 goodsId)
{
    const QString operation = tr("read sale %1").arg(goodsId);
    send("GET", QStringLiteral("/admin/sales/%1").arg(goodsId), nullptr, operation,
         [this, operation](const QJsonDocument &json) { handleSaleReply(json, operation); });
}

void AdminClient::scheduleSale(qint64 goodsId, const SaleSchedule &schedule)
{
    const QString operation = tr("schedule sale %1").arg(goodsId);
    const QJsonObject body = schedule.toJson();
    send("PUT", QStringLiteral("/admin/sales/%1").arg(goodsId), &body, operation,
         [this, operation](const QJsonDocument &json) { handleSaleReply(json, operation); });
}

void AdminClient::addStock(qint64 goodsId, qint64 add)
{
    const QString operation = tr("top up sale %1").arg(goodsId);
    const QJsonObject body {{QStringLiteral("add"), add}};
    send("POST", QStringLiteral("/admin/sales/%1/stock").arg(goodsId), &body, operation,
         [this, operation](const QJsonDocument &json) { handleSaleReply(json, operation); });
}

void AdminClient::setRate(qint64 goodsId, double ratePerSecond, qint64 burst)
{
    const QString operation = tr("set rate of sale %1").arg(goodsId);
    const QJsonObject body {{QStringLiteral("ratePerSecond"), ratePerSecond},
                            {QStringLiteral("burst"), burst}};
    send("PUT", QStringLiteral("/admin/sales/%1/rate").arg(goodsId), &body, operation,
         [this, operation](const QJsonDocument &json) { handleSaleReply(json, operation); });
}

void AdminClient::fetchDegradation()
{
    const QString operation = tr("read degradation");
    send("GET", QStringLiteral("/admin/degradation"), nullptr, operation,
         [this, operation](const QJsonDocument &json) { handleDegradationReply(json, operation); });
}

void AdminClient::setDegradation(std::optional<qint64> goodsId, bool on, const QString &message)
{
    const QString operation = goodsId
        ? tr("%1 degradation of product %2").arg(on ? tr("trip") : tr("reset")).arg(*goodsId)
        : tr("%1 site degradation").arg(on ? tr("trip") : tr("reset"));
    const QJsonObject body {
        {QStringLiteral("scope"),
         goodsId ? QJsonValue(*goodsId) : QJsonValue(QStringLiteral("site"))},
        {QStringLiteral("on"), on},
        {QStringLiteral("message"), message},
    };
    send("PUT", QStringLiteral("/admin/degradation"), &body, operation,
         [this, operation](const QJsonDocument &json) { handleDegradationReply(json, operation); });
}

void AdminClient::fetchStats()
{
    const QString operation = tr("read stats");
    send("GET", QStringLiteral("/admin/stats"), nullptr, operation,
         [this, operation](const QJsonDocument &json) {
             Result<Stats> stats = Stats::fromJson(json.object());
             if (!stats)
                 Q_EMIT requestFailed(operation, stats.error());
             else
                 Q_EMIT statsReceived(stats.value());
         });
}

} // namespace flashsale::adminapi
