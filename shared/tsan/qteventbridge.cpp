// Built into the tsan preset only (a shared library every program of it links first).
//
// Qt is not built with ThreadSanitizer, so TSan does not see the happens-before edge Qt's
// event queue makes: everything a thread did before posting an event (QMetaObject::
// invokeMethod, a queued signal) is visible to the thread that receives it. Without that
// edge, every queued lambda and signal argument would be reported as a race. Debian's Qt
// runs its event loops on glib: a post wakes the receiving thread's GMainContext with
// g_main_context_wakeup(), which we interpose to release on that context; every event
// delivered on a thread first acquires on the thread's own context (Qt's
// EventNotifyCallback, called before each event reaches its receiver).
//
// Known gap: Qt calls g_main_context_wakeup() just after queueing the event, not before,
// and not at all when the receiving thread has no event loop yet. A receiver that is busy
// may take the event in between, or a thread may take events posted before its loop
// existed; TSan then reports a race that is not one (its stack goes through
// QObject::event). Components started through a QThread hand their first call over
// through QThread::started instead (see the components' start()).

#include <QObject>
#include <QThread>

#include <dlfcn.h>
#include <sanitizer/tsan_interface.h>

struct GMainContext;

namespace {

template<typename F>
F glibFunction(const char *name)
{
    return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

bool acquireBeforeEvent(void **)
{
    thread_local GMainContext *const own = [] {
        static const auto ref =
            glibFunction<GMainContext *(*)()>("g_main_context_ref_thread_default");
        static const auto unref = glibFunction<void (*)(GMainContext *)>("g_main_context_unref");
        GMainContext *context = ref();
        unref(context); // the thread's event dispatcher keeps it alive
        return context;
    }();
    __tsan_acquire(own);
    return false; // never consumes the event
}

const bool registered =
    QInternal::registerCallback(QInternal::EventNotifyCallback, &acquireBeforeEvent);

} // namespace

/// Called once every other thread has ended: events posted to this thread and never
/// delivered are destroyed (with their arguments) when its objects or the application go.
extern "C" __attribute__((visibility("default"))) void flashsale_tsan_acquire_posted_events()
{
    acquireBeforeEvent(nullptr);
}

extern "C" __attribute__((visibility("default"))) void g_main_context_wakeup(GMainContext *context)
{
    static const auto wakeup = glibFunction<void (*)(GMainContext *)>("g_main_context_wakeup");
    static const auto defaultContext = glibFunction<GMainContext *(*)()>("g_main_context_default");
    __tsan_release(context ? context : defaultContext());
    wakeup(context);
}

// QThread::wait() returning true means the thread finished, but Qt's QThreads are detached
// and wait() sleeps on Qt's own futex-based condition, so TSan sees no join: everything the
// thread did (the stack of a QThread::create() lambda, objects it freed) would race with
// what the waiter does next. A finishing QThread destroys its event dispatcher, which
// unrefs its GMainContext, before it marks itself finished and wakes the waiters: that
// unref releases on the QThread, and a wait() that returns true acquires on it. (Other
// unrefs on the thread release too, earlier: harmless, the waiter only acquires once the
// thread is done.) Calls to QThread::wait() from outside libQt6Core come here through the
// PLT; Qt's own internal calls do not (the QWaitCondition entry in tests/tsan.supp).
extern "C" __attribute__((visibility("default"))) void g_main_context_unref(GMainContext *context)
{
    static const auto unref = glibFunction<void (*)(GMainContext *)>("g_main_context_unref");
    if (QThread *thread = QThread::currentThread())
        __tsan_release(thread);
    unref(context);
}

bool QThread::wait(QDeadlineTimer deadline)
{
    using Wait = bool (*)(QThread *, QDeadlineTimer);
    static const auto wait = glibFunction<Wait>("_ZN7QThread4waitE14QDeadlineTimer");
    const bool finished = wait(this, deadline);
    if (finished)
        __tsan_acquire(this);
    return finished;
}
