#include "saleeditrules.h"

#include <QDateTime>

namespace flashsale {

namespace {
QString utc(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}
} // namespace

SaleEditRules::SaleEditRules(const Current &current, qint64 nowMs)
    : m_current(current)
    , m_nowMs(nowMs)
{
    if (!current.scheduled)
        m_stage = Stage::Draft;
    else if (nowMs >= current.endAtMs)
        m_stage = Stage::Ended;
    else if (nowMs >= current.startAtMs)
        m_stage = Stage::Live;
    else if (nowMs >= current.revealAtMs)
        m_stage = Stage::Revealed;
    else
        m_stage = Stage::Scheduled;
}

bool SaleEditRules::revealLocked() const
{
    return m_stage == Stage::Revealed || m_stage == Stage::Live;
}

bool SaleEditRules::startLocked() const
{
    return m_stage == Stage::Live;
}

bool SaleEditRules::stockLocked() const
{
    return m_stage == Stage::Live || (m_current.scheduled && m_current.stockTaken);
}

QStringList SaleEditRules::faults(const Asked &asked) const
{
    QStringList faults;
    if (revealLocked() && asked.revealAtMs != m_current.revealAtMs)
        faults.append(QStringLiteral("revealAt cannot move: the buy path is out since %1")
                          .arg(utc(m_current.revealAtMs)));
    if (startLocked() && asked.startAtMs != m_current.startAtMs)
        faults.append(QStringLiteral("startAt cannot move: the sale is live since %1 (move "
                                     "endAt to shorten or extend it)")
                          .arg(utc(m_current.startAtMs)));
    if (stockLocked() && asked.stock != m_current.preloadedStock)
        faults.append(QStringLiteral("stock cannot be replaced: %1; it stays at %2 preloaded "
                                     "(add units with POST /admin/sales/{goodsId}/stock)")
                          .arg(m_stage == Stage::Live ? QStringLiteral("the sale is live")
                                                      : QStringLiteral("units were sold"))
                          .arg(m_current.preloadedStock));
    return faults;
}

QString SaleEditRules::stageName(Stage stage)
{
    switch (stage) {
    case Stage::Draft:
        return QStringLiteral("draft");
    case Stage::Scheduled:
        return QStringLiteral("scheduled");
    case Stage::Revealed:
        return QStringLiteral("revealed");
    case Stage::Live:
        return QStringLiteral("live");
    case Stage::Ended:
        return QStringLiteral("ended");
    }
    return {};
}

} // namespace flashsale
