#pragma once

#include <QMetaObject>
#include <QObject>
#include <QThread>

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

/// Runs \a work on \a target's thread and waits until it has run (never call it from that
/// thread: it would deadlock). What \a work did is visible to the caller afterwards, as it
/// is for Qt::BlockingQueuedConnection, which this is, made visible to ThreadSanitizer.
template<typename Work>
void runOnThreadAndWait(QObject *target, Work &&work)
{
    Q_ASSERT(target->thread() != QThread::currentThread());
    int token = 0; // its address pairs the two sides of this one call
    QMetaObject::invokeMethod(
        target,
        [&work, &token] {
            handoff::acquireFrom(&token);
            std::forward<Work>(work)();
            handoff::releaseTo(&token);
        },
        Qt::BlockingQueuedConnection);
    handoff::acquireFrom(&token);
}

} // namespace flashsale
