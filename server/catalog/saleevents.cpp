#include "saleevents.h"

#include "catalogrefresher.h"
#include "redis.h"
#include "salecatalog.h"
#include "salekeys.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcEvents, "flashsale.catalog.events")

namespace flashsale::catalog {

SaleEvents::SaleEvents(redis::Redis &redis, SaleCatalog &catalog, CatalogRefresher &refresher,
                       QObject *parent)
    : QObject(parent)
    , m_redis(redis)
    , m_catalog(catalog)
    , m_refresher(refresher)
{
    m_refresher.setSoldOutFromDatabase(false);
    connect(&m_refresher, &CatalogRefresher::refreshed, this, [this](bool ok) {
        if (ok)
            readSoldOutMarks();
    });
    connect(&m_redis, &redis::Redis::subscriptionsActive, this, [this] {
        qCInfo(lcEvents) << "listening to" << redis::SaleKeys::eventChannel() << "(reloading)";
        m_refresher.refresh();
    });
}

void SaleEvents::start()
{
    m_redis.subscribe(
        redis::SaleKeys::eventChannel(), this,
        [this](const QByteArray &, const QByteArray &message) { onMessage(message); });
}

QByteArray SaleEvents::configChanged(const QString &what, qint64 goodsId)
{
    QJsonObject event {{QStringLiteral("type"), QStringLiteral("config")},
                       {QStringLiteral("what"), what}};
    if (goodsId > 0)
        event.insert(QStringLiteral("goodsId"), goodsId);
    return QJsonDocument(event).toJson(QJsonDocument::Compact);
}

void SaleEvents::onMessage(const QByteArray &message)
{
    QJsonParseError error;
    const QJsonObject event = QJsonDocument::fromJson(message, &error).object();
    if (error.error != QJsonParseError::NoError) {
        qCWarning(lcEvents).noquote()
            << "ignored an event that is not JSON:" << error.errorString() << message.left(200);
        return;
    }
    const QString type = event.value(QStringLiteral("type")).toString();
    const qint64 goodsId = event.value(QStringLiteral("goodsId")).toInteger();
    if (type == u"sold_out" || type == u"restocked") {
        if (goodsId <= 0) {
            qCWarning(lcEvents).noquote() << "ignored an event without goodsId:" << message;
            return;
        }
        ++m_markEvents;
        m_catalog.setSoldOut(goodsId, type == u"sold_out");
    } else if (type == u"config") {
        m_refresher.refresh();
    } else {
        // Other parts of the server may announce their own types on the channel.
        qCDebug(lcEvents).noquote() << "event of another kind:" << message.left(200);
        return;
    }
    Q_EMIT applied(type, goodsId);
}

void SaleEvents::readSoldOutMarks()
{
    if (!m_redis.isConnected())
        return; // read again after the next reload
    const auto sales = m_catalog.snapshot();
    for (auto it = sales->cbegin(); it != sales->cend(); ++it) {
        if (!it->schedule)
            continue;
        const qint64 goodsId = it.key();
        const quint64 before = m_markEvents;
        m_redis.command({"GET", redis::SaleKeys(goodsId).soldOut}, this,
                        [this, goodsId, before](const redis::RedisReply &reply) {
                            if (reply.isError()) {
                                qCWarning(lcEvents).noquote() << "cannot read the sold-out mark of"
                                                              << goodsId << ":" << reply.bytes();
                                return;
                            }
                            // An event that came in meanwhile is newer than this read.
                            if (m_markEvents != before)
                                return;
                            m_catalog.setSoldOut(goodsId, reply.bytes() == "1");
                        });
    }
}

} // namespace flashsale::catalog
