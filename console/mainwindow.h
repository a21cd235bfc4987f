#pragma once

#include <QMainWindow>

namespace flashsale::console {

/// The console's main window. Empty for now: the admin API it will drive comes first.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
};

} // namespace flashsale::console
