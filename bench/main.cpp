// flashsale-bench: rehearses a sale against a running site (see --help and the README).

#include "options.h"
#include "rehearsal.h"

#include <QApplication>
#include <QLoggingCategory>

#include <cstdio>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    // The plots are rendered by Qt Charts without a display.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) {
        // What Qt falls back to anyway, made here so that it does not warn about it.
        const QByteArray runtime = "/tmp/runtime-" + QByteArray::number(::getuid());
        ::mkdir(runtime.constData(), 0700);
        qputenv("XDG_RUNTIME_DIR", runtime);
    }
    QApplication app(argc, argv);
    // The admin client's connection chatter is not for the rehearsal's terminal.
    QLoggingCategory::setFilterRules(
        QStringLiteral("flashsale.adminclient.info=false\nqt.qpa.*=false"));
    QCoreApplication::setApplicationName(QStringLiteral("flashsale-bench"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLASHSALE_VERSION));

    const auto options = flashsale::bench::RehearsalOptions::parse(QCoreApplication::arguments());
    if (!options) {
        std::fprintf(stderr, "flashsale-bench: %s\n", qPrintable(options.error()));
        return 2;
    }
    flashsale::bench::Rehearsal rehearsal(options.value());
    return rehearsal.run();
}
