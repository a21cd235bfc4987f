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
