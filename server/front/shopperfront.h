#pragma once

#include "frontlimits.h"
#include "result.h"
#include "shopperroutes.h"

#include <QHostAddress>

#include <memory>
#include <vector>

class QThread;

namespace flashsale::front {

class FrontLoop;
class ShopWorker;

/// The shoppers' HTTP front: `threads` epoll loops, each on its own SO_REUSEPORT listener
/// of the same port (the kernel spreads the connections, no lock is shared between the
/// loops), each paired with a ShopWorker on a Qt thread for the work that needs Redis.
/// stop() drains: no new connections, requests in flight answered (a reserved shopper
/// gets the 202), then every thread is joined and every object freed.
class ShopperFront
{
public:
    ShopperFront(ShopperServices services, FrontLimits limits = {});
    ~ShopperFront();

    /// Listens on \a address:\a port (0: a free port, the same for every thread) with
    /// \a threads front threads. Returns the port bound.
    Result<quint16> start(const QHostAddress &address, quint16 port, int threads);
    /// Drains (up to the limits' drainTimeout), then stops every thread. Idempotent.
    void stop();

    int threadCount() const { return int(m_loops.size()); }

private:
    std::shared_ptr<const ShopperServices> m_services;
    FrontLimits m_limits;
    std::vector<QThread *> m_workerThreads;
    std::vector<ShopWorker *> m_workers; ///< each on its thread, deleted there
    std::vector<std::unique_ptr<ShopperRoutes>> m_routes;
    std::vector<std::unique_ptr<FrontLoop>> m_loops;
};

} // namespace flashsale::front
