#include "livechartsview.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLoggingCategory>
#include <QScreen>
#include <QTimer>

Q_LOGGING_CATEGORY(lcConsoleMain, "flashsale.console.main")

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("flashsale"));
    QApplication::setApplicationName(QStringLiteral("flashsale-console"));
    QApplication::setApplicationVersion(QStringLiteral(FLASHSALE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Operator console of flashsale-server (admin API)."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption url(QStringLiteral("url"),
                                 QStringLiteral("Admin API address (default: the remembered "
                                                "one, else http://127.0.0.1:8081)."),
                                 QStringLiteral("url"));
    const QCommandLineOption tokenOption(
        QStringLiteral("token"),
        QStringLiteral("Admin token (prefer FLASHSALE_ADMIN_TOKEN: arguments are visible "
                       "to other users)."),
        QStringLiteral("token"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Save a PNG of the window after "
                                                       "--screenshot-delay ms, then quit."),
                                        QStringLiteral("file"));
    const QCommandLineOption delay(QStringLiteral("screenshot-delay"),
                                   QStringLiteral("Milliseconds to wait before the screenshot."),
                                   QStringLiteral("ms"), QStringLiteral("15000"));
    const QCommandLineOption select(QStringLiteral("select"),
                                    QStringLiteral("Select this product id once listed."),
                                    QStringLiteral("goodsId"));
    parser.addOptions({url, tokenOption, screenshot, delay, select});
    parser.process(app);

    QString token = parser.value(tokenOption);
    if (token.isEmpty())
        token = qEnvironmentVariable("FLASHSALE_ADMIN_TOKEN");
    QUrl address;
    if (parser.isSet(url))
        address = QUrl::fromUserInput(parser.value(url));
    else if (qEnvironmentVariableIsSet("FLASHSALE_ADMIN_URL"))
        address = QUrl::fromUserInput(qEnvironmentVariable("FLASHSALE_ADMIN_URL"));

    flashsale::console::MainWindow window;
    window.show();
    // After show(): a connection dialog opened now is centred on a visible window.
    QTimer::singleShot(0, &window,
                       [&window, address, token] { window.connectOnStart(address, token); });

    if (parser.isSet(select)) {
        const qint64 goodsId = parser.value(select).toLongLong();
        auto &model = window.session().products();
        QObject::connect(&model, &QAbstractItemModel::rowsInserted, &window,
                         [&window, goodsId] { window.selectGoods(goodsId); });
        QObject::connect(&model, &QAbstractItemModel::modelReset, &window,
                         [&window, goodsId] { window.selectGoods(goodsId); });
    }

    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        QTimer::singleShot(parser.value(delay).toInt(), &window, [&window, file] {
            if (!window.grab().save(file, "PNG")) {
                qCCritical(lcConsoleMain).noquote() << "cannot write the screenshot" << file;
                QApplication::exit(1);
                return;
            }
            qCInfo(lcConsoleMain).noquote() << "screenshot saved to" << file;
            QApplication::quit();
        });
    }
    return app.exec();
}
