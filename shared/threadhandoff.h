#pragma once

#include <QCoreApplication>
#include <QEvent>
#include <QMetaObject>
#include <QObject>
#include <QSemaphore>
#include <QThread>

#include <type_traits>
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

/// One runOnThreadAndWait() call, posted to a Runner on the target's thread. Deleted by Qt
/// on that thread once delivered (or wherever the undelivered event is dropped): either way
/// the caller stops waiting then.
class Call : public QEvent
{
public:
    Call(QSemaphore &done, void (*run)(void *), void *work)
        : QEvent(type())
        , m_done(done)
        , m_run(run)
        , m_work(work)
    { }
    ~Call() override { m_done.release(); }

    static QEvent::Type type()
    {
        static const auto registered = QEvent::Type(QEvent::registerEventType());
        return registered;
    }
    void run()
    {
        acquireFrom(&m_done); // what the caller did before posting
        m_run(m_work);
        releaseTo(&m_done); // what the work did, for the caller
    }

private:
    QSemaphore &m_done;
    void (*m_run)(void *);
    void *m_work;
};

/// Lives on the target's thread for one call and deletes itself there afterwards.
class Runner : public QObject
{
public:
    bool event(QEvent *event) override
    {
        if (event->type() != Call::type())
            return QObject::event(event);
        static_cast<Call *>(event)->run();
        deleteLater();
        return true;
    }
};

} // namespace handoff::detail

/// Runs \a work on \a target's thread and waits until it has run (never call it from that
/// thread: it would deadlock). What \a work did is visible to the caller afterwards, as it
/// is for Qt::BlockingQueuedConnection, which this replaces: there the caller's thread
/// frees the queued call's functor after Qt's semaphore (which ThreadSanitizer cannot see)
/// let it go, a race in TSan's eyes. Here nothing the target's thread touches is touched
/// by the caller after the post, and both sides say what they hand over. \a work may
/// delete \a target.
template<typename Work>
void runOnThreadAndWait(QObject *target, Work &&work)
{
    Q_ASSERT(target->thread() != QThread::currentThread());
    using W = std::remove_reference_t<Work>;
    QSemaphore done;
    auto *runner = new handoff::detail::Runner;
    runner->moveToThread(target->thread());
    handoff::releaseTo(&done);
    QCoreApplication::postEvent(runner,
                                new handoff::detail::Call(
                                    done, [](void *w) { (*static_cast<W *>(w))(); },
                                    const_cast<void *>(static_cast<const void *>(&work))));
    done.acquire();
    handoff::acquireFrom(&done);
}

} // namespace flashsale
