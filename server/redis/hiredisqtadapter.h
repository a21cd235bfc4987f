#pragma once

#include <QObject>

struct redisAsyncContext;
class QSocketNotifier;

namespace flashsale::redis {

/// Drives one hiredis async context from the Qt event loop: hiredis's read/write hooks
/// switch two QSocketNotifiers on and off. hiredis 0.14's own Qt adapter does not build
/// with Qt 6, hence this one. hiredis owns the adapter once attached: its cleanup hook,
/// called when the context is freed, disposes of it.
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
    QSocketNotifier *m_read = nullptr; ///< enabled while hiredis wants to read
    QSocketNotifier *m_write = nullptr; ///< enabled while hiredis has bytes to write
};

} // namespace flashsale::redis
