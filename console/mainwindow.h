#pragma once

#include "consolesession.h"

#include <QMainWindow>

class QAction;
class QDockWidget;
class QListWidget;
class QSplitter;

namespace flashsale::console {

class ConnectionIndicator;
class DegradationPanel;
class LiveChartsView;
class ProductsView;

/// The console's main window: the products table above the live charts, the kill switches
/// and breakers and an activity log in docks, a menu and a shortcut for every action. The
/// work is done by ConsoleSession; the window asks, confirms and shows.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);

    ConsoleSession &session() { return m_session; }
    LiveChartsView *charts() const { return m_charts; }

    /// Connects with the remembered address and token, or asks for them.
    void connectOnStart(const QUrl &url, const QString &token);

    /// Writes the report (files and chart images) of the selected product, or of all
    /// products when none is selected, into \a directory.
    Status exportReport(const QString &directory);

    /// Selects \a goodsId in the table if it is listed (false if not).
    bool selectGoods(qint64 goodsId);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createMenus();
    void updateActions();
    void log(const QString &text, bool problem);
    const adminapi::SaleStatus *selectedSale() const;

    void askConnection();
    void newProduct();
    void editProduct();
    void scheduleSale();
    void topUp();
    void tuneRate();
    void setDegradation(bool site, bool on);
    void exportReportInteractive();
    void showShortcuts();

    ConsoleSession m_session;
    ProductsView *m_products = nullptr;
    LiveChartsView *m_charts = nullptr;
    QSplitter *m_splitter = nullptr;
    DegradationPanel *m_degradation = nullptr;
    QDockWidget *m_degradationDock = nullptr;
    QDockWidget *m_activityDock = nullptr;
    QListWidget *m_activity = nullptr;
    ConnectionIndicator *m_indicator = nullptr;

    QAction *m_connect = nullptr;
    QAction *m_disconnect = nullptr;
    QAction *m_refresh = nullptr;
    QAction *m_export = nullptr;
    QAction *m_quit = nullptr;
    QAction *m_newProduct = nullptr;
    QAction *m_editProduct = nullptr;
    QAction *m_schedule = nullptr;
    QAction *m_topUp = nullptr;
    QAction *m_rate = nullptr;
    QAction *m_tripSite = nullptr;
    QAction *m_resetSite = nullptr;
    QAction *m_tripProduct = nullptr;
    QAction *m_resetProduct = nullptr;
    QAction *m_find = nullptr;
    QAction *m_focusTable = nullptr;
    QAction *m_toggleCharts = nullptr;
    QAction *m_shortcuts = nullptr;
    QAction *m_about = nullptr;
};

} // namespace flashsale::console
