#include "brokerlink.h"

#include "amqpconnection.h"

#include <QSocketNotifier>
#include <QTimer>

#include <algorithm>

namespace flashsale::amqp {

using namespace std::chrono;

BrokerLink::BrokerLink(QObject *session, milliseconds minBackoff, milliseconds maxBackoff,
                       milliseconds housekeeping, Hooks hooks)
    : m_session(session)
    , m_minBackoff(minBackoff)
    , m_maxBackoff(std::max(minBackoff, maxBackoff))
    , m_readable(std::move(hooks.readable))
    , m_reconnectTimer(new QTimer(session))
    , m_housekeepingTimer(new QTimer(session))
{
    m_reconnectTimer->setSingleShot(true);
    QObject::connect(m_reconnectTimer, &QTimer::timeout, session, std::move(hooks.reconnect));
    m_housekeepingTimer->setInterval(housekeeping);
    QObject::connect(m_housekeepingTimer, &QTimer::timeout, session, std::move(hooks.housekeeping));
    m_housekeepingTimer->start();
}

BrokerLink::~BrokerLink()
{
    delete m_notifier;
    delete m_housekeepingTimer;
    delete m_reconnectTimer;
}

milliseconds BrokerLink::attemptFailed()
{
    m_backoff = m_backoff.count() == 0 ? m_minBackoff : std::min(m_backoff * 2, m_maxBackoff);
    m_reconnectTimer->start(m_backoff);
    return m_backoff;
}

void BrokerLink::opened(const AmqpConnection &connection)
{
    m_backoff = milliseconds(0);
    delete m_notifier;
    m_notifier =
        new QSocketNotifier(connection.socketDescriptor(), QSocketNotifier::Read, m_session);
    QObject::connect(m_notifier, &QSocketNotifier::activated, m_session, m_readable);
}

void BrokerLink::lost(bool retry)
{
    delete m_notifier;
    m_notifier = nullptr;
    if (retry) {
        m_backoff = m_minBackoff;
        m_reconnectTimer->start(m_backoff);
    }
}

void BrokerLink::stop()
{
    m_reconnectTimer->stop();
    m_housekeepingTimer->stop();
}

} // namespace flashsale::amqp
