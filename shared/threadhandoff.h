#pragma once

#include <QCoreApplication>
#include <QEvent>
#include <QMetaObject>
#include <QObject>
#include <QSemaphore>
#include <QThread>

#include <functional>
#include <utility>

#if defined(FLASHSALE_TSAN)
#include <sanitizer/tsan_interface.h>
extern "C" void flashsale_tsan_acquire_posted_events(); // shared/tsan/qteventbridge.cpp
#endif

namespace flashsale {

/// Hand-offs between threads that Qt makes and ThreadSanitizer cannot see (Qt is not
/// instrumented: its queues and semaphores synchronise through futexes TSan does not
/// model). releaseTo() on the giving side and acquireFrom() on the taking side of the same
/// \a token tell TSan what Qt guarantees. Both are no-ops outside the tsan preset.
namespace handoff {

inline void releaseTo([[maybe_unused]] const void *token)
{
#if defined(FLASHSALE_TSAN)
    __tsan_release(const_cast<void *>(token));
#endif
}

inline void acquireFrom([[maybe_unused]] const void *token)
{
#if defined(FLASHSALE_TSAN)
    __tsan_acquire(const_cast<void *>(token));
#endif
}

/// Once every other thread has ended: what they posted to this thread and it never
/// delivered (destroyed with its receivers or the application) is theirs no more.
inline void acquirePostedEvents()
{
#if defined(FLASHSALE_TSAN)
    flashsale_tsan_acquire_posted_events();
#endif
}

} // namespace handoff

namespace handoff::detail {

/// One call posted to a Runner on the target's thread. Qt deletes it on that thread once
/// delivered (or wherever an undelivered event is dropped): a waiting caller stops
/// waiting then.
class Call : public QEvent
{
public:
    Call(std::function<void()> work, QSemaphore *done)
        : QEvent(type())
        , m_work(std::move(work))
        , m_done(done)
    { }
    ~Call() override
    {
        if (m_done)
            m_done->release();
    }

    static QEvent::Type type()
    {
        static const auto registered = QEvent::Type(QEvent::registerEventType());
        return registered;
    }
    void run()
    {
        m_work();
        if (m_done)
            releaseTo(m_done); // what the work did, for the waiting caller
    }

private:
    std::function<void()> m_work;
    QSemaphore *m_done;
};

/// Lives on the target's thread for one call and deletes itself there afterwards. The
/// caller builds it and the Call, releases on it, then posts: nothing the target's thread
/// touches is touched by the caller after the post (with a functor queued through
/// QMetaObject::invokeMethod, the caller's thread may free it, or drop the last reference
/// of what it captured, after the target's thread ran it, behind Qt's uninstrumented
/// atomics: a race in ThreadSanitizer's eyes).
class Runner : public QObject
{
public:
    bool event(QEvent *event) override
    {
        acquireFrom(this); // what the caller did before posting, the Call included
        if (event->type() != Call::type())
            return QObject::event(event);
        static_cast<Call *>(event)->run();
        deleteLater();
        return true;
    }
};

inline void post(QObject *target, std::function<void()> work, QSemaphore *done)
{
    auto *runner = new Runner;
    runner->moveToThread(target->thread());
    auto *call = new Call(std::move(work), done);
    releaseTo(runner);
    QCoreApplication::postEvent(runner, call);
}

} // namespace handoff::detail

/// Runs \a work on \a target's thread later (queued; from any thread). What the caller did
/// before is visible to \a work. \a work is moved into the call: give it data of its own
/// (no implicitly shared copy the caller drops later), which it frees on the target's thread.
template<typename Work>
void postToThread(QObject *target, Work &&work)
{
    handoff::detail::post(target, std::function<void()>(std::forward<Work>(work)), nullptr);
}

/// Runs \a work on \a target's thread and waits until it has run (never call it from that
/// thread: it would deadlock). What \a work did is visible to the caller afterwards, as it
/// is for Qt::BlockingQueuedConnection, which this replaces (see handoff::detail::Runner
/// for why). \a work may delete \a target.
template<typename Work>
void runOnThreadAndWait(QObject *target, Work &&work)
{
    Q_ASSERT(target->thread() != QThread::currentThread());
    QSemaphore done;
    handoff::detail::post(
        target, [&work] { work(); }, &done);
    done.acquire();
    handoff::acquireFrom(&done);
}

} // namespace flashsale
