#pragma once

#include "consolesession.h"

#include <QMainWindow>
#include <QMessageBox>

class QAction;
class QDockWidget;
class QLabel;
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

    /// Writes the report (files and print-size charts of the whole watched period) of
    /// \a goodsId, or of all products when 0, into \a directory.
    Status exportReport(const QString &directory, qint64 goodsId = 0);

    /// Selects \a goodsId in the table if it is listed (false if not).
    bool selectGoods(qint64 goodsId);
    ProductsView *productsView() const { return m_products; }
    DegradationPanel *degradationPanel() const { return m_degradation; }
    /// The address the Connect dialog offers: the one in use, else the remembered one.
    QUrl addressToOffer() const;
    /// The window's action with this objectName ("exportSelected", "topUp", ...).
    QAction *action(const QString &name) const;
    /// The line above the table saying the figures are not live (hidden while they are).
    QString staleNotice() const;

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createMenus();
    void updateActions();
    void showStale(bool stale, const QDateTime &since);
    void log(const QString &text, bool problem);
    const adminapi::SaleStatus *selectedSale() const;

    /// Asks before a change; Cancel is the default button, \a apply names the other one.
    bool confirm(QMessageBox::Icon icon, const QString &title, const QString &text,
                 const QStringList &details, const QString &apply);
    void askConnection();
    void newProduct();
    void editProduct();
    void scheduleSale();
    void topUp();
    void tuneRate();
    void setDegradation(bool site, bool on);
    void exportReportInteractive(bool all);
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
    QLabel *m_staleBanner = nullptr;

    QAction *m_connect = nullptr;
    QAction *m_disconnect = nullptr;
    QAction *m_refresh = nullptr;
    QAction *m_export = nullptr;
    QAction *m_exportAll = nullptr;
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
    QAction *m_stateFilter = nullptr;
    QAction *m_focusTable = nullptr;
    QAction *m_toggleCharts = nullptr;
    QAction *m_shortcuts = nullptr;
    QAction *m_about = nullptr;
};

} // namespace flashsale::console
