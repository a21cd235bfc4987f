#include "mainwindow.h"

#include <QLabel>
#include <QMenuBar>
#include <QStatusBar>

namespace flashsale::console {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("Flash sale console"));
    auto *placeholder = new QLabel(tr("Not connected to a server."), this);
    placeholder->setAlignment(Qt::AlignCenter);
    setCentralWidget(placeholder);
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    statusBar()->showMessage(tr("Disconnected"));
    resize(1000, 700);
}

} // namespace flashsale::console
