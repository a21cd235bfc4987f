#pragma once

#include <QObject>

struct redisAsyncContext;
class QSocketNotifier;

namespace flashsale::redis {

/// Drives one hiredis async context from the Qt event loop: hiredis's read/write hooks
/// switch two QSocketNotifiers on and off. hiredis 0.14's own Qt adapter does not build
/// with Qt 6, hence this one. hiredis owns the adapter once attached: its cleanup hook,
/// called when the context is freed, deletes it at once, or (freed from inside one of the
/// adapter's own handlers) as soon as that handler returns. Never deleteLater(): a context
/// freed while its thread shuts down would leave the adapter and its notifiers behind.
class HiredisQtAdapter : public QObject
{
    Q_OBJECT
public:
    /// Attaches a new adapter to \a context (whose socket must exist); false if the context
    /// already has an event library attached.
    static bool attach(redisAsyncContext *context);

private:
    explicit HiredisQtAdapter(redisAsyncContext *context);

    static void addRead(void *adapter);
    static void delRead(void *adapter);
    static void addWrite(void *adapter);
    static void delWrite(void *adapter);
    static void cleanup(void *adapter);

    void onReadable();
    void onWritable();

    redisAsyncContext *m_context = nullptr; ///< null once hiredis has freed the context
    int m_handling = 0; ///< onReadable()/onWritable() calls under way (hiredis may free inside)
    bool m_disposed = false; ///< cleanup() came while handling: delete once the handler returns
    QSocketNotifier *m_read = nullptr; ///< enabled while hiredis wants to read
    QSocketNotifier *m_write = nullptr; ///< enabled while hiredis has bytes to write
};

} // namespace flashsale::redis
