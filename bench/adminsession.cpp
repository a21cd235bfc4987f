#include "adminsession.h"

#include <QEventLoop>
#include <QTimer>

namespace flashsale::bench {

using namespace flashsale::adminapi;

AdminSession::AdminSession(QObject *parent)
    : QObject(parent)
{
    connect(&m_client, &AdminClient::saleUpdated, this, [this](const SaleStatus &sale) {
        m_sale = sale;
        answered();
    });
    connect(&m_client, &AdminClient::goodsSaved, this, [this](const Goods &goods, bool) {
        m_goods = goods;
        answered();
    });
    connect(&m_client, &AdminClient::salesListed, this,
            [this](const QList<SaleStatus> &, const QDateTime &serverTime) {
                m_serverTime = serverTime;
                answered();
            });
    connect(&m_client, &AdminClient::requestFailed, this,
            [this](const QString &operation, const QString &error) {
                m_error = operation + QStringLiteral(": ") + error;
                answered();
            });
    connect(&m_client, &AdminClient::stateChanged, this,
            [this](AdminClient::State state, const QString &message) {
                if (state == AdminClient::State::Unauthorized
                    || state == AdminClient::State::Unreachable
                    || (state == AdminClient::State::Disconnected && !message.isEmpty())) {
                    m_error = message;
                    answered();
                }
            });
    connect(&m_client, &AdminClient::liveStats, this,
            [this](const Stats &stats) { m_stats = stats; });
}

void AdminSession::answered()
{
    m_answered = true;
    if (m_loop)
        m_loop->quit();
}

QString AdminSession::wait(int timeoutMs)
{
    QEventLoop loop;
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    m_loop = &loop;
    if (!m_answered)
        loop.exec();
    m_loop = nullptr;
    if (!m_answered)
        return QStringLiteral("no answer from the admin API at %1 in %2 s")
            .arg(m_client.baseUrl().toString())
            .arg(timeoutMs / 1000);
    return m_error;
}

Status AdminSession::open(const QUrl &url, const QString &token)
{
    m_answered = false;
    m_error.clear();
    m_client.setReconnectDelays(500, 2000);
    m_client.connectToServer(url, token); // its first probe lists the sales
    const QString error = wait();
    return error.isEmpty() ? Status::success() : Status::failure(error);
}

Result<qint64> AdminSession::clockOffsetMs()
{
    m_answered = false;
    m_error.clear();
    const qint64 sent = QDateTime::currentMSecsSinceEpoch();
    m_client.fetchSales();
    const QString error = wait();
    const qint64 received = QDateTime::currentMSecsSinceEpoch();
    if (!error.isEmpty())
        return Result<qint64>::failure(error);
    if (!m_serverTime.isValid())
        return Result<qint64>::failure(QStringLiteral("the admin API gave no serverTime"));
    return m_serverTime.toMSecsSinceEpoch() + (received - sent) / 2 - received;
}

Result<Goods> AdminSession::createGoods(const Goods &goods)
{
    m_answered = false;
    m_error.clear();
    m_goods.reset();
    m_client.createGoods(goods);
    const QString error = wait();
    if (!error.isEmpty() || !m_goods)
        return Result<Goods>::failure(error);
    return *m_goods;
}

Result<SaleStatus> AdminSession::schedule(qint64 goodsId, const SaleSchedule &schedule)
{
    m_answered = false;
    m_error.clear();
    m_sale.reset();
    m_client.scheduleSale(goodsId, schedule);
    const QString error = wait();
    if (!error.isEmpty() || !m_sale)
        return Result<SaleStatus>::failure(error);
    return *m_sale;
}

Result<SaleStatus> AdminSession::sale(qint64 goodsId)
{
    m_answered = false;
    m_error.clear();
    m_sale.reset();
    m_client.fetchSale(goodsId);
    const QString error = wait();
    if (!error.isEmpty() || !m_sale)
        return Result<SaleStatus>::failure(error);
    return *m_sale;
}

} // namespace flashsale::bench
