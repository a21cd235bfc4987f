#pragma once

#include <QObject>

class QSocketNotifier;

namespace flashsale {

/// Turns SIGTERM and SIGINT into a Qt signal delivered on the event loop (the self-pipe
/// trick: the handler only writes a byte, the loop does the rest).
class UnixSignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit UnixSignalWatcher(QObject *parent = nullptr);
    ~UnixSignalWatcher() override;

Q_SIGNALS:
    /// \a signalNumber arrived (SIGTERM or SIGINT).
    void received(int signalNumber);

private:
    static void handle(int signalNumber);
    void readPipe();

    QSocketNotifier *m_notifier = nullptr;
};

} // namespace flashsale
