#pragma once

#include "buysteps.h"
#include "mailbox.h"
#include "salescripts.h"
#include "signinbrake.h"

#include <QObject>

#include <functional>
#include <memory>
#include <optional>

class QSocketNotifier;

namespace flashsale::front {

/// The Qt side of one front thread: an object on a Qt thread of its own (named
/// "shop-<n>") that owns that thread's Redis client and runs the work a front thread
/// hands it (reserve scripts, status polls) from a Mailbox, woken through its eventfd.
/// Concurrent requests' scripts go out on the one connection pipelined.
class ShopWorker : public QObject
{
    Q_OBJECT
public:
    using Job = std::function<void(ShopWorker &)>;

    /// Call on the worker's own thread: opens the Redis client for \a redisUrl (empty: none).
    void setUp(const QString &redisUrl, int windowMs);

    /// Thread-safe: runs \a job on the worker's thread.
    void post(Job job) { m_jobs.push(std::move(job)); }

    /// The sale scripts on this thread's client; null without Redis.
    const redis::SaleScripts *scripts() const { return m_scripts.get(); }
    /// The reserve step over those scripts; null without Redis.
    sale::ScriptReserveStep *reserveStep() const { return m_reserveStep.get(); }
    /// Call on the worker's thread after setUp(): the sign-in brake on its Redis client.
    void setUpBrake(const users::SignInBrakeOptions &options, const QString &site);
    /// The sign-in and sign-up brake on this thread's client; null without Redis.
    const users::SignInBrake *brake() const { return m_brake.get(); }

    ~ShopWorker() override;

private:
    void runJobs();

    Mailbox<Job> m_jobs;
    QSocketNotifier *m_notifier = nullptr; ///< on m_jobs' eventfd (child)
    redis::Redis *m_redis = nullptr; ///< child, made in setUp()
    std::unique_ptr<redis::SaleScripts> m_scripts;
    std::unique_ptr<sale::ScriptReserveStep> m_reserveStep;
    std::unique_ptr<users::SignInBrake> m_brake;
};

} // namespace flashsale::front
