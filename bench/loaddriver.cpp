#include "loaddriver.h"

#include "httpconnection.h"

#include <algorithm>
#include <deque>
#include <queue>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

namespace flashsale::bench {

namespace {

// A kept-alive connection idle longer than this is closed before reuse: the server (60 s)
// or nginx may be about to close it, and a buy must not be lost on such a race.
constexpr std::int64_t kIdleLimitUs = 20'000'000;

std::int64_t threadCpuUs()
{
    timespec t {};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return std::int64_t(t.tv_sec) * 1'000'000 + t.tv_nsec / 1000;
}

} // namespace

std::int64_t monotonicUs()
{
    timespec t {};
    ::clock_gettime(CLOCK_MONOTONIC, &t);
    return std::int64_t(t.tv_sec) * 1'000'000 + t.tv_nsec / 1000;
}

/// One load thread: its shoppers, its connections, its timers, its epoll loop.
class LoadDriver::Worker
{
public:
    Worker(LoadDriver &driver, int maxConnections)
        : m_driver(driver)
        , m_maxConnections(std::max(1, maxConnections))
        , m_epoll(::epoll_create1(EPOLL_CLOEXEC))
    { }
    ~Worker() { ::close(m_epoll); }

    std::vector<Shopper *> shoppers; ///< dealt to this thread
    std::vector<Sample> samples; ///< answers of the current phase

    void run(Phase phase, std::int64_t startUs, std::int64_t originUs, bool challenge);

private:
    /// A connection and the request on it.
    struct Slot
    {
        HttpConnection connection;
        Shopper *shopper = nullptr; ///< whose request is out, nullptr when idle
        std::int64_t scheduledUs = 0; ///< when the request was due
        std::int64_t sentUs = 0; ///< when it was written
    };
    struct Job
    {
        std::int64_t dueUs = 0;
        Shopper *shopper = nullptr;
        bool operator>(const Job &other) const { return dueUs > other.dueUs; }
    };

    void schedule(Shopper *shopper, std::int64_t dueUs, std::int64_t nowUs);
    void dispatch(std::int64_t nowUs);
    void complete(Slot *slot, std::int64_t nowUs);
    void expireSlowAnswers(std::int64_t nowUs);

    LoadDriver &m_driver;
    const int m_maxConnections;
    const int m_epoll;
    std::int64_t m_originUs = 0;
    int m_active = 0; ///< shoppers not done with the phase
    std::vector<std::unique_ptr<Slot>> m_slots;
    std::vector<Slot *> m_idle;
    std::deque<Job> m_ready; ///< due, waiting for a connection (in due order)
    std::priority_queue<Job, std::vector<Job>, std::greater<Job>> m_timers;
};

void LoadDriver::Worker::schedule(Shopper *shopper, std::int64_t dueUs, std::int64_t nowUs)
{
    if (dueUs <= nowUs)
        m_ready.push_back(Job {dueUs, shopper});
    else
        m_timers.push(Job {dueUs, shopper});
}

void LoadDriver::Worker::dispatch(std::int64_t nowUs)
{
    while (!m_ready.empty()) {
        Slot *slot = nullptr;
        if (!m_idle.empty()) {
            slot = m_idle.back();
            m_idle.pop_back();
        } else if (int(m_slots.size()) < m_maxConnections) {
            m_slots.push_back(std::make_unique<Slot>());
            slot = m_slots.back().get();
        } else {
            return; // every connection is busy: the rest wait (closed loop, or an overrun)
        }
        const Job job = m_ready.front();
        m_ready.pop_front();
        HttpConnection &connection = slot->connection;
        if (!connection.reusable() || nowUs - connection.lastUsedUs > kIdleLimitUs)
            connection.open(m_epoll, m_driver.m_target.address, m_driver.m_target.length, slot);
        slot->shopper = job.shopper;
        slot->scheduledUs = job.dueUs;
        slot->sentUs = nowUs;
        connection.lastUsedUs = nowUs;
        if (job.shopper->stage == Shopper::Stage::Buy)
            ++job.shopper->buyAttempts;
        m_driver.m_counters.sent.fetch_add(1, std::memory_order_relaxed);
        if (connection.send(m_driver.m_flow.request(*job.shopper))
            == HttpConnection::Progress::Failed)
            complete(slot, nowUs);
    }
}

void LoadDriver::Worker::complete(Slot *slot, std::int64_t nowUs)
{
    Shopper *shopper = slot->shopper;
    slot->shopper = nullptr;
    slot->connection.lastUsedUs = nowUs;
    m_idle.push_back(slot);
    const HttpAnswer &answer = slot->connection.answer();
    const std::string &error = slot->connection.errorCode();
    const Outcome outcome = classify(answer.status, error.data(), error.size());
    const RequestKind kind = ShopperFlow::kindOf(shopper->stage);

    const std::int64_t from = m_driver.m_settings.openLoop ? slot->scheduledUs : slot->sentUs;
    Sample sample;
    sample.sentMs = std::int32_t((from - m_originUs) / 1000);
    sample.latencyUs = std::uint32_t(std::clamp<std::int64_t>(nowUs - from, 0, UINT32_MAX));
    sample.kind = kind;
    sample.outcome = outcome;
    samples.push_back(sample);
    if (kind == RequestKind::Buy)
        m_driver.m_counters.buyAnswers[int(outcome)].fetch_add(1, std::memory_order_relaxed);
    else
        m_driver.m_counters.otherAnswers.fetch_add(1, std::memory_order_relaxed);

    const std::int64_t cpuBefore = kind == RequestKind::Challenge ? threadCpuUs() : 0;
    const NextStep next = m_driver.m_flow.onAnswer(*shopper, answer, outcome, nowUs);
    if (kind == RequestKind::Challenge)
        m_driver.m_solveCpuUs.fetch_add(threadCpuUs() - cpuBefore, std::memory_order_relaxed);
    if (shopper->ending == Ending::Created || shopper->ending == Ending::Failed)
        m_driver.m_counters.resolved.fetch_add(1, std::memory_order_relaxed);
    if (next.done) {
        --m_active;
        return;
    }
    schedule(shopper, nowUs + next.delayUs, nowUs);
}

void LoadDriver::Worker::expireSlowAnswers(std::int64_t nowUs)
{
    for (const std::unique_ptr<Slot> &slot : m_slots) {
        if (slot->shopper && nowUs - slot->sentUs > m_driver.m_settings.requestTimeoutUs) {
            slot->connection.close(); // its answer, should it come, is not read
            slot->connection.answer() = HttpAnswer {};
            complete(slot.get(), nowUs);
        }
    }
}

void LoadDriver::Worker::run(Phase phase, std::int64_t startUs, std::int64_t originUs,
                             bool challenge)
{
    samples.clear();
    m_originUs = originUs;
    const std::int64_t now = monotonicUs();
    m_active = 0;
    for (Shopper *shopper : shoppers) {
        if (phase == Phase::Sale) {
            if (shopper->stage != Shopper::Stage::Ready)
                continue; // its sign-in failed
            m_driver.m_flow.enterSale(*shopper, challenge);
        }
        ++m_active;
        schedule(shopper, startUs, now);
    }
    std::int64_t nextExpiryCheck = now + 1'000'000;
    epoll_event events[256];
    while (m_active > 0 && !m_driver.m_stop.load(std::memory_order_relaxed)) {
        std::int64_t nowUs = monotonicUs();
        while (!m_timers.empty() && m_timers.top().dueUs <= nowUs) {
            m_ready.push_back(m_timers.top());
            m_timers.pop();
        }
        dispatch(nowUs);
        int timeoutMs = 100; // the stop flag is looked at this often
        if (!m_timers.empty())
            timeoutMs = int(std::clamp<std::int64_t>((m_timers.top().dueUs - nowUs + 999) / 1000, 0,
                                                     timeoutMs));
        const int n = ::epoll_wait(m_epoll, events, 256, timeoutMs);
        nowUs = monotonicUs();
        for (int i = 0; i < n; ++i) {
            auto *slot = static_cast<Slot *>(events[i].data.ptr);
            const HttpConnection::Progress progress = slot->connection.onEvents(events[i].events);
            if (slot->shopper && progress != HttpConnection::Progress::Waiting)
                complete(slot, nowUs);
        }
        if (nowUs >= nextExpiryCheck) {
            expireSlowAnswers(nowUs);
            nextExpiryCheck = nowUs + 1'000'000;
        }
    }
    // Stopped early: whoever still waits for an order has an unresolved 202.
    for (Shopper *shopper : shoppers)
        if (shopper->stage == Shopper::Stage::Poll && shopper->ending == Ending::None)
            shopper->ending = Ending::Unresolved;
    m_ready.clear();
    m_timers = decltype(m_timers)();
    for (const std::unique_ptr<Slot> &slot : m_slots)
        if (slot->shopper) {
            slot->connection.close();
            slot->shopper = nullptr;
            m_idle.push_back(slot.get());
        }
}

LoadDriver::LoadDriver(Settings settings, const ShopperFlow &flow, Target target,
                       std::vector<Shopper> &shoppers)
    : m_settings(settings)
    , m_flow(flow)
    , m_target(std::move(target))
    , m_shoppers(shoppers)
{
    const int threads = std::max(1, m_settings.threads);
    for (int t = 0; t < threads; ++t)
        m_workers.push_back(
            std::make_unique<Worker>(*this, (m_settings.concurrency + threads - 1 - t) / threads));
    for (std::size_t i = 0; i < m_shoppers.size(); ++i)
        m_workers[i % m_workers.size()]->shoppers.push_back(&m_shoppers[i]);
}

LoadDriver::~LoadDriver()
{
    stop();
    join();
}

void LoadDriver::start(Phase phase, std::int64_t startUs, std::int64_t originUs, bool challenge)
{
    join();
    m_stop.store(false);
    m_running.store(int(m_workers.size()));
    for (const std::unique_ptr<Worker> &worker : m_workers)
        m_threads.emplace_back([this, w = worker.get(), phase, startUs, originUs, challenge] {
            w->run(phase, startUs, originUs, challenge);
            m_running.fetch_sub(1);
        });
}

void LoadDriver::join()
{
    for (std::thread &thread : m_threads)
        thread.join();
    if (!m_threads.empty())
        m_samples.clear();
    if (!m_threads.empty())
        for (const std::unique_ptr<Worker> &worker : m_workers)
            m_samples.insert(m_samples.end(), worker->samples.begin(), worker->samples.end());
    m_threads.clear();
}

} // namespace flashsale::bench
