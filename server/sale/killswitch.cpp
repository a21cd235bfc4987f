#include "killswitch.h"

#include <QJsonArray>

#include <algorithm>
#include <mutex>

namespace flashsale::sale {

QString KillSwitch::defaultMessage()
{
    return QStringLiteral("The sale is paused for a moment. Please try again shortly.");
}

void KillSwitch::setSite(bool on, const QString &message)
{
    const std::unique_lock lock(m_lock);
    m_site = Switch {on, message};
}

void KillSwitch::setGoods(qint64 goodsId, bool on, const QString &message)
{
    const std::unique_lock lock(m_lock);
    m_goods.insert(goodsId, Switch {on, message});
}

void KillSwitch::replace(Switch site, QHash<qint64, Switch> goods)
{
    const std::unique_lock lock(m_lock);
    m_site = std::move(site);
    m_goods = std::move(goods);
}

std::optional<QString> KillSwitch::blocked(qint64 goodsId) const
{
    const std::shared_lock lock(m_lock);
    if (m_site.on)
        return m_site.message.isEmpty() ? defaultMessage() : m_site.message;
    const auto it = m_goods.constFind(goodsId);
    if (it != m_goods.cend() && it->on)
        return it->message.isEmpty() ? defaultMessage() : it->message;
    return std::nullopt;
}

KillSwitch::Switch KillSwitch::site() const
{
    const std::shared_lock lock(m_lock);
    return m_site;
}

KillSwitch::Switch KillSwitch::goods(qint64 goodsId) const
{
    const std::shared_lock lock(m_lock);
    return m_goods.value(goodsId);
}

QJsonObject KillSwitch::toJson() const
{
    const std::shared_lock lock(m_lock);
    QList<qint64> ids = m_goods.keys();
    std::sort(ids.begin(), ids.end());
    QJsonArray goods;
    for (qint64 id : std::as_const(ids)) {
        const Switch &s = m_goods[id];
        goods.append(QJsonObject {{QStringLiteral("goodsId"), id},
                                  {QStringLiteral("on"), s.on},
                                  {QStringLiteral("message"), s.message}});
    }
    return {
        {QStringLiteral("site"),
         QJsonObject {{QStringLiteral("on"), m_site.on},
                      {QStringLiteral("message"), m_site.message}}},
        {QStringLiteral("goods"), goods},
    };
}

} // namespace flashsale::sale
