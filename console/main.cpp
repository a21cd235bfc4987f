#include "mainwindow.h"

#include <QApplication>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("flashsale"));
    QApplication::setApplicationName(QStringLiteral("flashsale-console"));
    QApplication::setApplicationVersion(QStringLiteral(FLASHSALE_VERSION));
    flashsale::console::MainWindow window;
    window.show();
    return app.exec();
}
