#include "hiredisqtadapter.h"

#include <QSocketNotifier>

#include <hiredis/async.h>

namespace flashsale::redis {

bool HiredisQtAdapter::attach(redisAsyncContext *context)
{
    if (context->ev.data)
        return false;
    auto *adapter = new HiredisQtAdapter(context);
    context->ev.data = adapter;
    context->ev.addRead = &HiredisQtAdapter::addRead;
    context->ev.delRead = &HiredisQtAdapter::delRead;
    context->ev.addWrite = &HiredisQtAdapter::addWrite;
    context->ev.delWrite = &HiredisQtAdapter::delWrite;
    context->ev.cleanup = &HiredisQtAdapter::cleanup;
    return true;
}

HiredisQtAdapter::HiredisQtAdapter(redisAsyncContext *context)
    : m_context(context)
    , m_read(new QSocketNotifier(context->c.fd, QSocketNotifier::Read, this))
    , m_write(new QSocketNotifier(context->c.fd, QSocketNotifier::Write, this))
{
    m_read->setEnabled(false);
    m_write->setEnabled(false);
    connect(m_read, &QSocketNotifier::activated, this, &HiredisQtAdapter::onReadable);
    connect(m_write, &QSocketNotifier::activated, this, &HiredisQtAdapter::onWritable);
}

void HiredisQtAdapter::addRead(void *adapter)
{
    static_cast<HiredisQtAdapter *>(adapter)->m_read->setEnabled(true);
}

void HiredisQtAdapter::delRead(void *adapter)
{
    static_cast<HiredisQtAdapter *>(adapter)->m_read->setEnabled(false);
}

void HiredisQtAdapter::addWrite(void *adapter)
{
    static_cast<HiredisQtAdapter *>(adapter)->m_write->setEnabled(true);
}

void HiredisQtAdapter::delWrite(void *adapter)
{
    static_cast<HiredisQtAdapter *>(adapter)->m_write->setEnabled(false);
}

void HiredisQtAdapter::cleanup(void *adapter)
{
    auto *self = static_cast<HiredisQtAdapter *>(adapter);
    self->m_context = nullptr;
    if (self->m_handling > 0) {
        // Freed from inside our own onReadable()/onWritable(): hiredis is still on the
        // stack, the handler deletes us when it returns.
        self->m_read->setEnabled(false);
        self->m_write->setEnabled(false);
        self->m_disposed = true;
        return;
    }
    delete self;
}

void HiredisQtAdapter::onReadable()
{
    if (!m_context)
        return;
    ++m_handling;
    redisAsyncHandleRead(m_context);
    if (--m_handling == 0 && m_disposed)
        delete this; // QSocketNotifier::activated tolerates its receiver going away
}

void HiredisQtAdapter::onWritable()
{
    if (!m_context)
        return;
    ++m_handling;
    redisAsyncHandleWrite(m_context);
    if (--m_handling == 0 && m_disposed)
        delete this;
}

} // namespace flashsale::redis
