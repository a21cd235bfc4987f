#pragma once

#include "adminapi/adminclient.h"
#include "result.h"

#include <QEventLoop>
#include <QObject>

#include <optional>

namespace flashsale::bench {

/// The admin API one call at a time, waiting for each answer: the rehearsal's steps are a
/// sequence (create, schedule, watch, check), so it reads as one. Built on the console's
/// AdminClient and its typed answers.
class AdminSession : public QObject
{
    Q_OBJECT
public:
    explicit AdminSession(QObject *parent = nullptr);

    /// Connects and checks the token with one call; the error says why not.
    Status open(const QUrl &url, const QString &token);
    /// The server's clock minus ours (ms), from the admin API's serverTime and the round trip.
    Result<qint64> clockOffsetMs();
    Result<adminapi::Goods> createGoods(const adminapi::Goods &goods);
    Result<adminapi::SaleStatus> schedule(qint64 goodsId, const adminapi::SaleSchedule &schedule);
    Result<adminapi::SaleStatus> sale(qint64 goodsId);
    /// The latest /admin/live message, if one came.
    const std::optional<adminapi::Stats> &latestStats() const { return m_stats; }

private:
    /// Runs the event loop until the call issued last answers (or \a timeoutMs passes).
    QString wait(int timeoutMs = 15'000);
    void answered();

    adminapi::AdminClient m_client;
    QEventLoop *m_loop = nullptr; ///< the loop wait() runs, while it does
    bool m_answered = false;
    QString m_error;
    std::optional<adminapi::SaleStatus> m_sale;
    std::optional<adminapi::Goods> m_goods;
    QDateTime m_serverTime;
    std::optional<adminapi::Stats> m_stats;
};

} // namespace flashsale::bench
