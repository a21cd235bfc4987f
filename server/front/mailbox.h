#pragma once

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <sys/eventfd.h>
#include <unistd.h>
#include <utility>

namespace flashsale::front {

/// A queue from any number of threads to one consumer thread, woken through an eventfd:
/// push() is lock-free (a Treiber stack's push), the consumer takes everything at once
/// and restores the order. Only a push onto an empty queue writes the eventfd, so a busy
/// consumer is not woken once per item. The eventfd is for the consumer's poller (epoll,
/// or a QSocketNotifier on a Qt thread).
template<typename T>
class Mailbox
{
public:
    Mailbox()
        : m_eventFd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC))
    { }
    ~Mailbox()
    {
        Node *node = m_head.exchange(nullptr, std::memory_order_acquire);
        while (node) {
            Node *next = node->next;
            delete node;
            node = next;
        }
        if (m_eventFd >= 0)
            ::close(m_eventFd);
    }
    Mailbox(const Mailbox &) = delete;
    Mailbox &operator=(const Mailbox &) = delete;

    /// The descriptor that becomes readable when items arrive.
    int eventFd() const { return m_eventFd; }
    bool isValid() const { return m_eventFd >= 0; }

    /// From any thread.
    void push(T item)
    {
        Node *node = new Node {std::move(item), nullptr};
        Node *head = m_head.load(std::memory_order_relaxed);
        do {
            node->next = head;
        } while (!m_head.compare_exchange_weak(head, node, std::memory_order_release,
                                               std::memory_order_relaxed));
        if (!head) {
            const std::uint64_t one = 1;
            while (::write(m_eventFd, &one, sizeof one) < 0 && errno == EINTR) { }
        }
    }

    /// On the consumer's thread: clears the wake-up and calls \a f for every item, oldest
    /// first. Returns how many there were.
    template<typename F>
    int drain(F &&f)
    {
        std::uint64_t count = 0;
        while (::read(m_eventFd, &count, sizeof count) < 0 && errno == EINTR) { }
        // Taken after the read: an item pushed after the exchange writes the eventfd again.
        Node *node = m_head.exchange(nullptr, std::memory_order_acquire);
        Node *reversed = nullptr;
        while (node) {
            Node *next = node->next;
            node->next = reversed;
            reversed = node;
            node = next;
        }
        int n = 0;
        while (reversed) {
            Node *next = reversed->next;
            f(std::move(reversed->item));
            delete reversed;
            reversed = next;
            ++n;
        }
        return n;
    }

private:
    struct Node
    {
        T item; ///< what was pushed
        Node *next = nullptr; ///< the one pushed before it
    };
    std::atomic<Node *> m_head = nullptr; ///< newest first
    int m_eventFd = -1; ///< readable while items wait
};

} // namespace flashsale::front
