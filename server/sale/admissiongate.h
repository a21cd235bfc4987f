#pragma once

#include <atomic>
#include <optional>
#include <utility>

namespace flashsale::sale {

/// A bound on requests in flight in one instance: past it a request is refused at once
/// (503) instead of joining a queue that only grows. Lock-free, thread-safe.
class AdmissionGate
{
public:
    /// Holds one place in the gate until destroyed (move-only).
    class Ticket
    {
    public:
        Ticket(Ticket &&other) noexcept
            : m_gate(std::exchange(other.m_gate, nullptr))
        { }
        Ticket &operator=(Ticket &&other) noexcept
        {
            release();
            m_gate = std::exchange(other.m_gate, nullptr);
            return *this;
        }
        Ticket(const Ticket &) = delete;
        Ticket &operator=(const Ticket &) = delete;
        ~Ticket() { release(); }

        /// Gives the place back early.
        void release()
        {
            if (m_gate)
                m_gate->m_inFlight.fetch_sub(1, std::memory_order_acq_rel);
            m_gate = nullptr;
        }

    private:
        friend class AdmissionGate;
        explicit Ticket(AdmissionGate *gate)
            : m_gate(gate)
        { }
        AdmissionGate *m_gate = nullptr;
    };

    /// At most \a limit requests in flight at once.
    explicit AdmissionGate(int limit)
        : m_limit(limit)
    { }

    /// A ticket if there is room, nothing if the instance is full.
    std::optional<Ticket> tryEnter()
    {
        // A compare-and-swap loop, so the count never goes past the limit even for an
        // instant (an add-then-undo would let inFlight() overshoot under contention).
        int current = m_inFlight.load(std::memory_order_relaxed);
        do {
            if (current >= m_limit.load(std::memory_order_relaxed)) {
                m_refused.fetch_add(1, std::memory_order_relaxed);
                return std::nullopt;
            }
        } while (
            !m_inFlight.compare_exchange_weak(current, current + 1, std::memory_order_acq_rel));
        return Ticket(this);
    }

    int inFlight() const { return m_inFlight.load(std::memory_order_relaxed); }
    int limit() const { return m_limit.load(std::memory_order_relaxed); }
    void setLimit(int limit) { m_limit.store(limit, std::memory_order_relaxed); }
    /// Requests refused since start.
    long long refused() const { return m_refused.load(std::memory_order_relaxed); }

private:
    std::atomic<int> m_inFlight = 0;
    std::atomic<int> m_limit = 0;
    std::atomic<long long> m_refused = 0;
};

} // namespace flashsale::sale
