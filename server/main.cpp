// flashsale-server: the shoppers' HTTP API and the sale pipeline behind it.

#include "layeredconfig.h"
#include "server.h"
#include "serverconfig.h"
#include "threadhandoff.h"
#include "unixsignalwatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLoggingCategory>

#include <csignal>
#include <cstdio>

using namespace flashsale;

namespace {

int fail(int code, const QString &message)
{
    std::fprintf(stderr, "flashsale-server: %s\n", qPrintable(message));
    return code;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("flashsale-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLASHSALE_VERSION));
    qSetMessagePattern(
        QStringLiteral("%{time yyyy-MM-ddThh:mm:ss.zzz} %{if-debug}D%{endif}%{if-info}I%{endif}"
                       "%{if-warning}W%{endif}%{if-critical}E%{endif}%{if-fatal}F%{endif} "
                       "%{category}: %{message}"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Flash sale server: the shoppers' HTTP API, the buy pipeline and the order "
        "workers.\nEvery option can also be set in the INI file given by --config or in "
        "the environment variable named beside it."));
    parser.addHelpOption();
    parser.addVersionOption();
    LayeredConfig layers(ServerConfig::options());
    layers.addCommandLineOptions(parser);
    parser.process(app);

    if (Status loaded = layers.load(parser); !loaded)
        return fail(2, loaded.error());
    const Result<ServerConfig> config = ServerConfig::fromLayers(layers);
    if (!config)
        return fail(2, config.error());
    if (!config->logRules.isEmpty())
        QLoggingCategory::setFilterRules(QString(config->logRules).replace(u',', u'\n'));

    // A dead client must not kill the server through a write to a closed socket.
    std::signal(SIGPIPE, SIG_IGN);
    UnixSignalWatcher signals;
    QObject::connect(&signals, &UnixSignalWatcher::received, &app, [](int signalNumber) {
        qInfo("signal %d received, shutting down", signalNumber);
        QCoreApplication::quit();
    });

    int code = 0;
    {
        Server server(config.value());
        if (Status started = server.start(); !started)
            return fail(1, started.error());
        code = app.exec();
    } // every component stopped, on its own thread, and destroyed
    handoff::acquirePostedEvents();
    qInfo("stopped");
    return code;
}
