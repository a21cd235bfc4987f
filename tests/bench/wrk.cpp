#include "wrk.h"

#include <QEventLoop>
#include <QProcess>
#include <QRegularExpression>
#include <QTimer>

namespace flashsale::test {

namespace {

double toMs(const QString &value, const QString &unit)
{
    const double v = value.toDouble();
    if (unit == u"us")
        return v / 1000;
    if (unit == u"s")
        return v * 1000;
    return v;
}

} // namespace

WrkFigures runWrk(const QUrl &url, int connections, int seconds, const QString &script,
                  const QStringList &headers)
{
    QStringList args {QStringLiteral("-t2"), QStringLiteral("-c%1").arg(connections),
                      QStringLiteral("-d%1s").arg(seconds), QStringLiteral("--latency")};
    if (!script.isEmpty())
        args << QStringLiteral("-s") << script;
    for (const QString &header : headers)
        args << QStringLiteral("-H") << header;
    args << url.toString();
    QProcess wrk;
    wrk.setProcessChannelMode(QProcess::MergedChannels);
    wrk.start(QStringLiteral("wrk"), args);
    QEventLoop loop;
    QObject::connect(&wrk, &QProcess::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot((seconds + 30) * 1000, &loop, &QEventLoop::quit);
    if (wrk.state() != QProcess::NotRunning)
        loop.exec();
    WrkFigures f;
    f.raw = QString::fromUtf8(wrk.readAll());
    static const QRegularExpression rps(QStringLiteral("Requests/sec:\\s+([0-9.]+)"));
    static const QRegularExpression p50(QStringLiteral("\\s50%\\s+([0-9.]+)(us|ms|s)"));
    static const QRegularExpression p99(QStringLiteral("\\s99%\\s+([0-9.]+)(us|ms|s)"));
    static const QRegularExpression non2xx(QStringLiteral("Non-2xx or 3xx responses:\\s+(\\d+)"));
    f.requestsPerSecond = rps.match(f.raw).captured(1).toDouble();
    const auto m50 = p50.match(f.raw);
    const auto m99 = p99.match(f.raw);
    f.p50Ms = toMs(m50.captured(1), m50.captured(2));
    f.p99Ms = toMs(m99.captured(1), m99.captured(2));
    f.non2xx = non2xx.match(f.raw).captured(1).toLongLong();
    return f;
}

} // namespace flashsale::test
