#include "killswitch.h"

#include <mutex>

namespace flashsale::sale {

QString KillSwitch::defaultMessage()
{
    return QStringLiteral("The sale is paused for a moment. Please try again shortly.");
}

void KillSwitch::setSite(bool on, const QString &message)
{
    const std::unique_lock lock(m_lock);
    m_switches.site = Switch {on, message};
}

void KillSwitch::setGoods(qint64 goodsId, bool on, const QString &message)
{
    const std::unique_lock lock(m_lock);
    m_switches.goods.insert(goodsId, Switch {on, message});
}

void KillSwitch::replace(Switches switches)
{
    const std::unique_lock lock(m_lock);
    m_switches = std::move(switches);
}

std::optional<QString> KillSwitch::blocked(qint64 goodsId) const
{
    const std::shared_lock lock(m_lock);
    if (m_switches.site.on)
        return m_switches.site.message.isEmpty() ? defaultMessage() : m_switches.site.message;
    const auto it = m_switches.goods.constFind(goodsId);
    if (it != m_switches.goods.cend() && it->on)
        return it->message.isEmpty() ? defaultMessage() : it->message;
    return std::nullopt;
}

KillSwitch::Switch KillSwitch::site() const
{
    const std::shared_lock lock(m_lock);
    return m_switches.site;
}

KillSwitch::Switch KillSwitch::goods(qint64 goodsId) const
{
    const std::shared_lock lock(m_lock);
    return m_switches.goods.value(goodsId);
}

KillSwitch::Switches KillSwitch::all() const
{
    const std::shared_lock lock(m_lock);
    return m_switches;
}

} // namespace flashsale::sale
