#include "shopworker.h"

#include "buysteps.h"
#include "redis.h"
#include "salescripts.h"

#include <QLoggingCategory>
#include <QSocketNotifier>

Q_DECLARE_LOGGING_CATEGORY(lcFront)

namespace flashsale::front {

ShopWorker::~ShopWorker()
{
    // Jobs still queued hold Replies: dropping them answers 500 (never a hung client).
    m_jobs.drain([](Job &&) {});
}

void ShopWorker::setUp(const QString &redisUrl, int windowMs)
{
    m_notifier = new QSocketNotifier(m_jobs.eventFd(), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &ShopWorker::runJobs);
    if (redisUrl.isEmpty())
        return;
    Result<std::unique_ptr<redis::Redis>> opened =
        redis::Redis::open(redisUrl, redis::RedisOptions {}, this);
    if (!opened) {
        qCWarning(lcFront).noquote() << "no Redis on this thread:" << opened.error();
        return;
    }
    m_redis = opened.value().release();
    m_scripts = std::make_unique<redis::SaleScripts>(m_redis, windowMs);
    m_reserveStep = std::make_unique<sale::ScriptReserveStep>(*m_scripts, this);
}

void ShopWorker::setUpBrake(const users::SignInBrakeOptions &options, const QString &site)
{
    if (m_redis)
        m_brake = std::make_unique<users::SignInBrake>(m_redis, options, site);
}

void ShopWorker::runJobs()
{
    m_jobs.drain([this](Job &&job) { job(*this); });
}

} // namespace flashsale::front
