#pragma once

#include "shopper.h"
#include "tally.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <vector>

namespace flashsale::bench {

/// Microseconds on the monotonic clock: the time base of the load threads.
std::int64_t monotonicUs();

/// The shopper API's address: where the load threads connect, and the Host they name.
struct Target
{
    sockaddr_storage address {}; ///< resolved once, before the load
    socklen_t length = 0; ///< of address
    std::string host; ///< Host header value (host[:port] of the URL)
};

/// Runs the shoppers' requests on a few threads, each an epoll loop over its own keep-alive
/// connections (HttpConnection) with a timer heap: no locks, no Qt on the hot path. Shoppers
/// are dealt to the threads round robin; each thread drives its own through ShopperFlow.
/// The main thread starts a phase, reads the live counters while it runs, and joins it.
class LoadDriver
{
public:
    struct Settings
    {
        int threads = 2; ///< load threads
        int concurrency = 64; ///< connections (requests in flight) at most, over all threads
        bool openLoop = false; ///< latency from the scheduled send time, not the actual one
        std::int64_t requestTimeoutUs = 10'000'000; ///< an answer slower than this is lost
    };

    /// One run over every shopper.
    enum class Phase {
        Accounts, ///< sign up (or in) at once; over when each has a session or was refused
        Sale, ///< from \a startUs (the reveal): path, buy, poll; over when each is Done
    };

    LoadDriver(Settings settings, const ShopperFlow &flow, Target target,
               std::vector<Shopper> &shoppers);
    ~LoadDriver();

    /// Starts \a phase on the threads. \a startUs: when the shoppers begin; \a originUs: the
    /// time samples are counted from (the sale's start); \a challenge: the sale asks for a
    /// proof of work before the path.
    void start(Phase phase, std::int64_t startUs, std::int64_t originUs, bool challenge);
    /// True once every thread has finished the phase.
    bool finished() const { return m_running.load() == 0; }
    /// Asks the threads to stop now: shoppers waiting for their order become Unresolved.
    void stop() { m_stop.store(true); }
    /// Waits for the threads; the samples of the phase are then in samples().
    void join();

    const LiveCounters &counters() const { return m_counters; }
    /// Every answered request of the last phase joined, in no particular order.
    const std::vector<Sample> &samples() const { return m_samples; }
    /// CPU the threads spent solving challenges (us), kept out of the client's CPU per request.
    std::int64_t solveCpuUs() const { return m_solveCpuUs.load(); }

private:
    class Worker;

    Settings m_settings;
    const ShopperFlow &m_flow;
    Target m_target;
    std::vector<Shopper> &m_shoppers;
    LiveCounters m_counters;
    std::vector<std::unique_ptr<Worker>> m_workers;
    std::vector<std::thread> m_threads;
    std::vector<Sample> m_samples;
    std::atomic<int> m_running {0};
    std::atomic<bool> m_stop {false};
    std::atomic<std::int64_t> m_solveCpuUs {0};
};

} // namespace flashsale::bench
