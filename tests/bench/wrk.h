#pragma once

#include <QString>
#include <QStringList>
#include <QUrl>

namespace flashsale::test {

/// What one wrk run measured.
struct WrkFigures
{
    double requestsPerSecond = 0;
    double p50Ms = 0; ///< median latency
    double p99Ms = 0; ///< 99th percentile latency
    qint64 non2xx = 0; ///< answers other than 2xx and 3xx
    QString raw; ///< wrk's whole output, for a failure message
};

/// Runs `wrk -t2 -c<connections> -d<seconds>s --latency` against \a url, with the Lua
/// \a script and extra \a headers ("Name: value") when given. Waits in an event loop, not in
/// waitForFinished(), so a server's log is read meanwhile and its pipe never fills up.
WrkFigures runWrk(const QUrl &url, int connections, int seconds, const QString &script = {},
                  const QStringList &headers = {});

} // namespace flashsale::test
