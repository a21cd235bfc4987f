#include "mainwindow.h"

#include "connectiondialog.h"
#include "connectionindicator.h"
#include "degradationpanel.h"
#include "livechartsview.h"
#include "productdialog.h"
#include "productsview.h"
#include "ratedialog.h"
#include "salereport.h"
#include "scheduledialog.h"
#include "topupdialog.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QInputDialog>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTime>

namespace flashsale::console {

using adminapi::AdminClient;

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("Flash sale console"));
    m_products = new ProductsView(m_session.products(), this);
    m_charts = new LiveChartsView(m_session.history(), m_session.products(), this);
    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->addWidget(m_products);
    m_splitter->addWidget(m_charts);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);
    setCentralWidget(m_splitter);

    m_degradation = new DegradationPanel(this);
    m_degradationDock = new QDockWidget(tr("Degradation and breakers"), this);
    m_degradationDock->setObjectName(QStringLiteral("degradationDock"));
    m_degradationDock->setWidget(m_degradation);
    addDockWidget(Qt::RightDockWidgetArea, m_degradationDock);
    m_activity = new QListWidget(this);
    m_activity->setWordWrap(true);
    m_activityDock = new QDockWidget(tr("Activity"), this);
    m_activityDock->setObjectName(QStringLiteral("activityDock"));
    m_activityDock->setWidget(m_activity);
    addDockWidget(Qt::RightDockWidgetArea, m_activityDock);

    m_indicator = new ConnectionIndicator(this);
    statusBar()->addPermanentWidget(m_indicator);

    createActions();
    createMenus();
    m_degradation->setActions(m_tripSite, m_resetSite, m_tripProduct, m_resetProduct);

    AdminClient &client = m_session.client();
    connect(&client, &AdminClient::stateChanged, this,
            [this](AdminClient::State state, const QString &message) {
                m_indicator->show(state, message, m_session.client().isLive());
                log(message,
                    state == AdminClient::State::Unreachable
                        || state == AdminClient::State::Unauthorized);
                updateActions();
            });
    connect(&client, &AdminClient::liveChanged, this, [this](bool live) {
        AdminClient &c = m_session.client();
        m_indicator->show(c.state(),
                          live ? tr("Connected to %1, live").arg(c.baseUrl().toString())
                               : c.stateMessage(),
                          live);
    });
    connect(&m_session, &ConsoleSession::done, this, [this](const QString &message) {
        log(message, false);
        statusBar()->showMessage(message, 5000);
    });
    connect(&m_session, &ConsoleSession::failed, this,
            [this](const QString &operation, const QString &error) {
                const QString text = tr("Could not %1: %2").arg(operation, error);
                log(text, true);
                statusBar()->showMessage(text, 10'000);
            });
    connect(&m_session, &ConsoleSession::degradationChanged, m_degradation,
            &DegradationPanel::showDegradation);
    connect(&m_session, &ConsoleSession::breakersChanged, m_degradation,
            &DegradationPanel::showBreakers);
    connect(&client, &AdminClient::saleUpdated, this, [this](const adminapi::SaleStatus &sale) {
        log(tr("Sale %1 '%2': %3 preloaded, %4 left, rate %5/s burst %6")
                .arg(sale.goodsId)
                .arg(sale.name)
                .arg(sale.preloadedStock)
                .arg(sale.stockLeft)
                .arg(sale.ratePerSecond)
                .arg(sale.burst),
            false);
    });
    connect(m_products, &ProductsView::selectionChanged, this, [this](qint64 goodsId) {
        const adminapi::SaleStatus *sale = selectedSale();
        m_degradation->showProduct(goodsId, sale ? sale->name : QString());
        updateActions();
    });
    connect(m_products, &ProductsView::activated, this, [this] { scheduleSale(); });
    connect(&m_session.products(), &QAbstractItemModel::dataChanged, this, [this] {
        // The selected product's name may arrive after the selection.
        if (const adminapi::SaleStatus *sale = selectedSale())
            m_degradation->showProduct(sale->goodsId, sale->name);
    });

    QSettings settings;
    resize(1400, 900);
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
    m_products->restoreHeaderState(settings.value(QStringLiteral("window/table")).toByteArray());
    updateActions();
}

void MainWindow::createActions()
{
    auto make = [this](const QString &text, const QKeySequence &shortcut, auto slot,
                       const QString &tip = QString()) {
        auto *action = new QAction(text, this);
        action->setShortcut(shortcut);
        action->setStatusTip(tip);
        // Shortcuts work wherever the focus is inside the window, docks included.
        action->setShortcutContext(Qt::WindowShortcut);
        connect(action, &QAction::triggered, this, slot);
        addAction(action);
        return action;
    };
    m_connect = make(
        tr("&Connect..."), QKeySequence(tr("Ctrl+K")), [this] { askConnection(); },
        tr("Choose the admin address and token"));
    m_disconnect = make(tr("&Disconnect"), QKeySequence(tr("Ctrl+Shift+K")),
                        [this] { m_session.disconnectFromServer(); });
    m_refresh = make(
        tr("&Refresh"), QKeySequence::Refresh, [this] { m_session.refresh(); },
        tr("List products, sales and kill switches again"));
    m_export = make(
        tr("&Export report..."), QKeySequence(tr("Ctrl+E")), [this] { exportReportInteractive(); },
        tr("Counts and charts of the selected sale (or all) as files"));
    m_quit = make(tr("&Quit"), QKeySequence(tr("Ctrl+Q")), [this] { close(); });
    m_newProduct = make(tr("&New product..."), QKeySequence::New, [this] { newProduct(); });
    m_editProduct = make(tr("&Edit product..."), QKeySequence(tr("F2")), [this] { editProduct(); });
    m_schedule = make(
        tr("&Schedule and preload..."), QKeySequence(tr("Ctrl+Shift+S")),
        [this] { scheduleSale(); }, tr("Preload stock and set the reveal, start and end times"));
    m_topUp = make(tr("&Top up stock..."), QKeySequence(tr("Ctrl+T")), [this] { topUp(); });
    m_rate = make(tr("&Rate and burst..."), QKeySequence(tr("Ctrl+R")), [this] { tuneRate(); });
    m_tripSite = make(
        tr("Trip &site..."), QKeySequence(tr("Ctrl+Alt+D")), [this] { setDegradation(true, true); },
        tr("Every buy answers 503 with your message"));
    m_resetSite = make(tr("Reset s&ite"), QKeySequence(tr("Ctrl+Alt+R")),
                       [this] { setDegradation(true, false); });
    m_tripProduct = make(
        tr("Trip &product..."), QKeySequence(tr("Ctrl+D")), [this] { setDegradation(false, true); },
        tr("Buys of the selected product answer 503"));
    m_resetProduct = make(tr("Reset pro&duct"), QKeySequence(tr("Ctrl+Shift+D")),
                          [this] { setDegradation(false, false); });
    m_find = make(tr("&Find product"), QKeySequence::Find, [this] { m_products->focusFilter(); });
    m_focusTable = make(tr("&Products table"), QKeySequence(tr("Ctrl+1")),
                        [this] { m_products->table()->setFocus(Qt::ShortcutFocusReason); });
    m_toggleCharts = make(tr("Live &charts"), QKeySequence(tr("Ctrl+2")),
                          [this](bool on) { m_charts->setVisible(on); });
    m_toggleCharts->setCheckable(true);
    m_toggleCharts->setChecked(true);
    m_shortcuts =
        make(tr("&Keyboard shortcuts"), QKeySequence::HelpContents, [this] { showShortcuts(); });
    m_about = make(tr("&About"), QKeySequence(), [this] {
        QMessageBox::about(this, tr("About the flash sale console"),
                           tr("flashsale-console %1\nOperates flashsale-server through its "
                              "admin API.")
                               .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addActions({m_connect, m_disconnect, m_refresh});
    file->addSeparator();
    file->addAction(m_export);
    file->addSeparator();
    file->addAction(m_quit);
    QMenu *product = menuBar()->addMenu(tr("&Product"));
    product->addActions({m_newProduct, m_editProduct});
    product->addSeparator();
    product->addActions({m_schedule, m_topUp, m_rate});
    QMenu *degradation = menuBar()->addMenu(tr("&Degradation"));
    degradation->addActions({m_tripSite, m_resetSite});
    degradation->addSeparator();
    degradation->addActions({m_tripProduct, m_resetProduct});
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addActions({m_find, m_focusTable, m_toggleCharts});
    view->addSeparator();
    QAction *dock = m_degradationDock->toggleViewAction();
    dock->setShortcut(QKeySequence(tr("Ctrl+3")));
    QAction *activity = m_activityDock->toggleViewAction();
    activity->setShortcut(QKeySequence(tr("Ctrl+4")));
    view->addActions({dock, activity});
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addActions({m_shortcuts, m_about});
}

void MainWindow::updateActions()
{
    const bool connected = m_session.client().state() == AdminClient::State::Connected;
    const bool selected = selectedSale() != nullptr;
    m_disconnect->setEnabled(m_session.client().state() != AdminClient::State::Disconnected);
    m_refresh->setEnabled(connected);
    for (QAction *a : {m_newProduct, m_tripSite, m_resetSite})
        a->setEnabled(connected);
    for (QAction *a : {m_editProduct, m_schedule, m_topUp, m_rate, m_tripProduct, m_resetProduct})
        a->setEnabled(connected && selected);
}

void MainWindow::log(const QString &text, bool problem)
{
    auto *item = new QListWidgetItem(QStringLiteral("%1  %2").arg(
        QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), text));
    item->setToolTip(text);
    if (problem)
        item->setForeground(QColor(0xc6, 0x28, 0x28));
    m_activity->insertItem(0, item);
    while (m_activity->count() > 500)
        delete m_activity->takeItem(m_activity->count() - 1);
}

const adminapi::SaleStatus *MainWindow::selectedSale() const
{
    const qint64 goodsId = m_products->selectedGoodsId();
    const int row = goodsId > 0 ? m_session.products().rowOf(goodsId) : -1;
    if (row < 0)
        return nullptr;
    return &m_session.products().row(row).sale;
}

void MainWindow::connectOnStart(const QUrl &url, const QString &token)
{
    const QUrl address = url.isValid() ? url : ConnectionDialog::rememberedUrl();
    const QString secret = token.isEmpty() ? ConnectionDialog::rememberedToken() : token;
    if (secret.isEmpty()) {
        askConnection();
        return;
    }
    m_session.connectToServer(address, secret);
}

void MainWindow::askConnection()
{
    ConnectionDialog dialog(this);
    if (dialog.exec() == QDialog::Accepted)
        m_session.connectToServer(dialog.url(), dialog.token());
}

void MainWindow::newProduct()
{
    ProductDialog dialog(adminapi::Goods {}, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (const QStringList faults = m_session.createProduct(dialog.goods()); !faults.isEmpty())
        QMessageBox::warning(this, tr("Product not created"), faults.join(u'\n'));
}

void MainWindow::editProduct()
{
    const adminapi::SaleStatus *sale = selectedSale();
    if (!sale)
        return;
    ProductDialog dialog(m_session.products().row(m_session.products().rowOf(sale->goodsId)).goods,
                         this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (const QStringList faults = m_session.updateProduct(dialog.goods()); !faults.isEmpty())
        QMessageBox::warning(this, tr("Product not saved"), faults.join(u'\n'));
}

void MainWindow::scheduleSale()
{
    const adminapi::SaleStatus *selected = selectedSale();
    if (!selected || !m_schedule->isEnabled())
        return;
    const adminapi::SaleStatus sale = *selected;
    ScheduleDialog dialog(sale, m_session, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const adminapi::SaleSchedule schedule = dialog.schedule();
    const QString question =
        tr("Preload %1 units of '%2' and schedule the sale?\n\n"
           "Reveal: %3\nStart: %4\nEnd: %5\nRate: %6/s, burst %7\n\n"
           "This replaces the sale's current stock (%8 left).")
            .arg(schedule.stock)
            .arg(sale.name, schedule.revealAt.toLocalTime().toString(Qt::TextDate),
                 schedule.startAt.toLocalTime().toString(Qt::TextDate),
                 schedule.endAt.toLocalTime().toString(Qt::TextDate))
            .arg(schedule.ratePerSecond)
            .arg(schedule.burst)
            .arg(sale.stockLeft);
    if (QMessageBox::question(this, tr("Preload and schedule"), question) != QMessageBox::Yes)
        return;
    if (const QStringList faults = m_session.scheduleSale(sale.goodsId, schedule);
        !faults.isEmpty())
        QMessageBox::warning(this, tr("Sale not scheduled"), faults.join(u'\n'));
}

void MainWindow::topUp()
{
    const adminapi::SaleStatus *selected = selectedSale();
    if (!selected)
        return;
    const adminapi::SaleStatus sale = *selected;
    TopUpDialog dialog(sale, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (QMessageBox::question(this, tr("Top up"),
                              tr("Add %1 units to '%2'? Shoppers can buy them at once if the "
                                 "sale is live.")
                                  .arg(dialog.add())
                                  .arg(sale.name))
        != QMessageBox::Yes)
        return;
    if (const QStringList faults = m_session.topUp(sale.goodsId, dialog.add()); !faults.isEmpty())
        QMessageBox::warning(this, tr("Stock not added"), faults.join(u'\n'));
}

void MainWindow::tuneRate()
{
    const adminapi::SaleStatus *selected = selectedSale();
    if (!selected)
        return;
    const adminapi::SaleStatus sale = *selected;
    RateDialog dialog(sale, m_session, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (const QStringList faults =
            m_session.setRate(sale.goodsId, dialog.ratePerSecond(), dialog.burst());
        !faults.isEmpty())
        QMessageBox::warning(this, tr("Rate not changed"), faults.join(u'\n'));
}

void MainWindow::setDegradation(bool site, bool on)
{
    std::optional<qint64> goodsId;
    QString scope = tr("the whole site");
    if (!site) {
        const adminapi::SaleStatus *sale = selectedSale();
        if (!sale)
            return;
        goodsId = sale->goodsId;
        scope = tr("'%1'").arg(sale->name);
    }
    QString message;
    if (on) {
        bool ok = false;
        message = QInputDialog::getText(
            this, tr("Trip degradation"),
            tr("Buys of %1 will answer 503. Message shoppers will see:").arg(scope),
            QLineEdit::Normal, tr("The sale is paused for a moment, please try again soon."), &ok);
        if (!ok)
            return;
    }
    const QString question = on
        ? tr("Trip degradation for %1?\n\nShoppers will see: %2").arg(scope, message)
        : tr("Reset degradation for %1? Buys are accepted again.").arg(scope);
    if (QMessageBox::question(this, on ? tr("Trip degradation") : tr("Reset degradation"), question)
        != QMessageBox::Yes)
        return;
    if (const QStringList faults = m_session.setDegradation(goodsId, on, message);
        !faults.isEmpty())
        QMessageBox::warning(this, tr("Degradation not changed"), faults.join(u'\n'));
}

Status MainWindow::exportReport(const QString &directory)
{
    QList<ProductsTableModel::Row> rows;
    const qint64 goodsId = m_products->selectedGoodsId();
    for (const ProductsTableModel::Row &row : m_session.products().rows()) {
        if (goodsId == 0 || row.goods.goodsId == goodsId)
            rows.append(row);
    }
    const SaleReport report(rows, m_session.history(), m_session.serverNow());
    if (Status s = report.write(directory); !s)
        return s;
    return m_charts->saveImages(directory);
}

bool MainWindow::selectGoods(qint64 goodsId)
{
    return m_products->selectGoods(goodsId);
}

void MainWindow::exportReportInteractive()
{
    const QString base = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString suggested = QDir(base).filePath(
        QStringLiteral("flashsale-report-%1")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
    const QString directory =
        QFileDialog::getSaveFileName(this, tr("Export report into folder"), suggested);
    if (directory.isEmpty())
        return;
    if (const Status s = exportReport(directory); !s) {
        log(tr("Report not exported: %1").arg(s.error()), true);
        QMessageBox::warning(this, tr("Report not exported"), s.error());
        return;
    }
    log(tr("Report exported to %1").arg(directory), false);
    statusBar()->showMessage(tr("Report exported to %1").arg(directory), 5000);
}

void MainWindow::showShortcuts()
{
    QString text = QStringLiteral("<table>");
    for (QMenu *menu : menuBar()->findChildren<QMenu *>()) {
        for (QAction *action : menu->actions()) {
            if (action->isSeparator() || action->shortcut().isEmpty())
                continue;
            QString name = action->text();
            name.remove(u'&');
            text += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                        .arg(action->shortcut().toString(QKeySequence::NativeText).toHtmlEscaped(),
                             name.toHtmlEscaped());
        }
    }
    text += QStringLiteral("</table>");
    QMessageBox::information(this, tr("Keyboard shortcuts"), text);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
    settings.setValue(QStringLiteral("window/table"), m_products->saveHeaderState());
    QMainWindow::closeEvent(event);
}

} // namespace flashsale::console
