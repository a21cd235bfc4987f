#include "mainwindow.h"

#include "actionstates.h"
#include "activitytext.h"
#include "connectiondialog.h"
#include "connectionindicator.h"
#include "degradationpanel.h"
#include "livechartsview.h"
#include "productdialog.h"
#include "productsview.h"
#include "ratedialog.h"
#include "reportchartimages.h"
#include "reportcharts.h"
#include "salereport.h"
#include "schedulechange.h"
#include "scheduledialog.h"
#include "timeformat.h"
#include "topupdialog.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDialogButtonBox>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTime>
#include <QVBoxLayout>

namespace flashsale::console {

using adminapi::AdminClient;

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("Flash sale console"));
    m_products = new ProductsView(m_session.products(), this);
    m_charts = new LiveChartsView(m_session.history(), m_session.products(), this);
    m_staleBanner = new QLabel(this);
    m_staleBanner->setObjectName(QStringLiteral("staleBanner"));
    m_staleBanner->setWordWrap(true);
    m_staleBanner->setStyleSheet(
        QStringLiteral("background: #fdecea; color: #8c1d18; padding: 4px; font-weight: bold"));
    m_staleBanner->hide();
    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_staleBanner);
    topLayout->addWidget(m_products);
    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->addWidget(top);
    m_splitter->addWidget(m_charts);
    // The table first: at 1024x700 it still shows a useful number of rows.
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);
    setCentralWidget(m_splitter);

    m_degradation = new DegradationPanel(this);
    m_degradationDock = new QDockWidget(tr("Degradation and breakers"), this);
    m_degradationDock->setObjectName(QStringLiteral("degradationDock"));
    m_degradationDock->setWidget(m_degradation);
    addDockWidget(Qt::RightDockWidgetArea, m_degradationDock);
    m_activity = new QListWidget(this);
    m_activity->setWordWrap(true);
    m_activityDock = new QDockWidget(tr("Activity (times %1)").arg(localZoneOffset()), this);
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
    connect(&m_session, &ConsoleSession::staleChanged, this, &MainWindow::showStale);
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
    connect(m_products, &ProductsView::selectionChanged, this, [this](qint64 goodsId) {
        const adminapi::SaleStatus *sale = selectedSale();
        m_degradation->showProduct(goodsId, sale ? sale->name : QString());
        updateActions();
    });
    connect(m_products, &ProductsView::activated, this, [this] { scheduleSale(); });
    connect(&m_session.products(), &QAbstractItemModel::dataChanged, this, [this] {
        // The selected product's name and state may arrive after the selection.
        if (const adminapi::SaleStatus *sale = selectedSale())
            m_degradation->showProduct(sale->goodsId, sale->name);
        updateActions();
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
    auto make = [this](const QString &name, const QString &text, const QKeySequence &shortcut,
                       auto slot, const QString &tip = QString()) {
        auto *action = new QAction(text, this);
        action->setObjectName(name);
        action->setShortcut(shortcut);
        action->setStatusTip(tip);
        // Shortcuts work wherever the focus is inside the window, docks included.
        action->setShortcutContext(Qt::WindowShortcut);
        connect(action, &QAction::triggered, this, slot);
        addAction(action);
        return action;
    };
    m_connect = make(
        QStringLiteral("connect"), tr("&Connect..."), QKeySequence(tr("Ctrl+K")),
        [this] { askConnection(); }, tr("Choose the admin address and token"));
    m_disconnect =
        make(QStringLiteral("disconnect"), tr("&Disconnect"), QKeySequence(tr("Ctrl+Shift+K")),
             [this] { m_session.disconnectFromServer(); });
    m_refresh = make(
        QStringLiteral("refresh"), tr("&Refresh / retry now"), QKeySequence::Refresh,
        [this] { m_session.refresh(); },
        tr("List products, sales and kill switches again; while offline, reconnect now"));
    m_export = make(
        QStringLiteral("exportSelected"), tr("&Export report of the selected product..."),
        QKeySequence(tr("Ctrl+E")), [this] { exportReportInteractive(false); },
        tr("Counts and charts of the highlighted product as files"));
    m_exportAll = make(
        QStringLiteral("exportAll"), tr("Export report of &all products..."),
        QKeySequence(tr("Ctrl+Shift+E")), [this] { exportReportInteractive(true); },
        tr("Counts and charts of every product"));
    m_quit =
        make(QStringLiteral("quit"), tr("&Quit"), QKeySequence(tr("Ctrl+Q")), [this] { close(); });
    m_newProduct = make(QStringLiteral("newProduct"), tr("&New product..."), QKeySequence::New,
                        [this] { newProduct(); });
    m_editProduct = make(QStringLiteral("editProduct"), tr("&Edit product..."),
                         QKeySequence(tr("F2")), [this] { editProduct(); });
    m_schedule = make(
        QStringLiteral("schedule"), tr("&Schedule and preload..."),
        QKeySequence(tr("Ctrl+Shift+S")), [this] { scheduleSale(); },
        tr("Preload stock and set the reveal, start and end times"));
    m_topUp = make(QStringLiteral("topUp"), tr("&Top up stock..."), QKeySequence(tr("Ctrl+T")),
                   [this] { topUp(); });
    m_rate = make(QStringLiteral("rate"), tr("&Rate and burst..."), QKeySequence(tr("Ctrl+R")),
                  [this] { tuneRate(); });
    m_tripSite = make(
        QStringLiteral("tripSite"), tr("Trip &site..."), QKeySequence(tr("Ctrl+Alt+D")),
        [this] { setDegradation(true, true); }, tr("Every buy answers 503 with your message"));
    m_resetSite = make(QStringLiteral("resetSite"), tr("Reset s&ite"),
                       QKeySequence(tr("Ctrl+Alt+R")), [this] { setDegradation(true, false); });
    m_tripProduct = make(
        QStringLiteral("tripProduct"), tr("Trip &product..."), QKeySequence(tr("Ctrl+D")),
        [this] { setDegradation(false, true); }, tr("Buys of the selected product answer 503"));
    m_resetProduct =
        make(QStringLiteral("resetProduct"), tr("Reset pro&duct"), QKeySequence(tr("Ctrl+Shift+D")),
             [this] { setDegradation(false, false); });
    m_find = make(QStringLiteral("find"), tr("&Find product"), QKeySequence::Find,
                  [this] { m_products->focusFilter(); });
    m_stateFilter =
        make(QStringLiteral("stateFilter"), tr("Filter by &state"),
             QKeySequence(tr("Ctrl+Shift+F")), [this] { m_products->focusStateFilter(); });
    m_focusTable =
        make(QStringLiteral("focusTable"), tr("&Products table"), QKeySequence(tr("Ctrl+1")),
             [this] { m_products->table()->setFocus(Qt::ShortcutFocusReason); });
    m_toggleCharts =
        make(QStringLiteral("toggleCharts"), tr("Live &charts"), QKeySequence(tr("Ctrl+2")),
             [this](bool on) { m_charts->setVisible(on); });
    m_toggleCharts->setCheckable(true);
    m_toggleCharts->setChecked(true);
    m_shortcuts = make(QStringLiteral("shortcuts"), tr("&Keyboard shortcuts"),
                       QKeySequence::HelpContents, [this] { showShortcuts(); });
    m_about = make(QStringLiteral("about"), tr("&About"), QKeySequence(), [this] {
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
    file->addActions({m_export, m_exportAll});
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
    view->addActions({m_find, m_stateFilter, m_focusTable, m_toggleCharts});
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
    const adminapi::SaleStatus *sale = selectedSale();
    std::optional<SaleState> selected;
    if (sale)
        selected = deriveState(*sale, m_session.products().now());
    const ActionStates a =
        actionStates(m_session.client().state(), m_session.canRefresh(), selected);
    m_disconnect->setEnabled(m_session.client().state() != AdminClient::State::Disconnected);
    m_refresh->setEnabled(a.refresh);
    m_newProduct->setEnabled(a.newProduct);
    m_tripSite->setEnabled(a.siteSwitch);
    m_resetSite->setEnabled(a.siteSwitch);
    m_editProduct->setEnabled(a.edit);
    m_schedule->setEnabled(a.schedule);
    m_topUp->setEnabled(a.topUp);
    m_topUp->setStatusTip(selected == SaleState::Draft
                              ? tr("Schedule the sale first: a draft has no stock to add to")
                              : QString());
    m_rate->setEnabled(a.rate);
    m_tripProduct->setEnabled(a.productSwitch);
    m_resetProduct->setEnabled(a.productSwitch);
    m_export->setEnabled(a.exportSelected);
}

QAction *MainWindow::action(const QString &name) const
{
    return findChild<QAction *>(name);
}

QString MainWindow::staleNotice() const
{
    return m_staleBanner->isVisibleTo(const_cast<MainWindow *>(this)) ? m_staleBanner->text()
                                                                      : QString();
}

void MainWindow::showStale(bool stale, const QDateTime &since)
{
    m_staleBanner->setVisible(stale);
    if (stale)
        m_staleBanner->setText(tr("Not live since %1: the table, the switches and the breakers "
                                  "show the last figures received, greyed.")
                                   .arg(formatLocalTime(since)));
    m_degradation->showStale(stale ? since : QDateTime());
}

QUrl MainWindow::addressToOffer() const
{
    return m_session.address().isValid() ? m_session.address() : ConnectionDialog::rememberedUrl();
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
    ConnectionDialog dialog(addressToOffer(), this);
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
    // Worded from the sale as it is now and the server's rule: what the server will hold.
    const ScheduleChange change =
        describeScheduleChange(dialog.current(), schedule, m_session.serverNow());
    if (!confirm(change.inProgress ? QMessageBox::Warning : QMessageBox::Question,
                 change.stage == SaleEditRules::Stage::Draft ? tr("Preload and schedule")
                                                             : tr("Change the sale"),
                 change.headline, change.changes,
                 change.stage == SaleEditRules::Stage::Live        ? tr("Apply to the live sale")
                     : change.stage == SaleEditRules::Stage::Draft ? tr("Preload and schedule")
                                                                   : tr("Apply")))
        return;
    if (const QStringList faults = m_session.scheduleSale(sale.goodsId, schedule);
        !faults.isEmpty())
        QMessageBox::warning(this, tr("Sale not scheduled"), faults.join(u'\n'));
}

bool MainWindow::confirm(QMessageBox::Icon icon, const QString &title, const QString &text,
                         const QStringList &details, const QString &apply)
{
    QMessageBox box(icon, title, text, QMessageBox::NoButton, this);
    if (!details.isEmpty())
        box.setInformativeText(QStringLiteral("\u2022 ")
                               + details.join(QStringLiteral("\n\u2022 ")));
    QPushButton *yes = box.addButton(apply, QMessageBox::AcceptRole);
    QPushButton *no = box.addButton(QMessageBox::Cancel);
    // Enter cancels: every confirmation here changes what shoppers get.
    box.setDefaultButton(no);
    box.setEscapeButton(no);
    box.exec();
    return box.clickedButton() == yes;
}

void MainWindow::topUp()
{
    const adminapi::SaleStatus *selected = selectedSale();
    if (!selected)
        return;
    const adminapi::SaleStatus sale = *selected;
    if (!m_topUp->isEnabled())
        return;
    TopUpDialog dialog(sale, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const bool live = deriveState(sale, m_session.serverNow()) == SaleState::Live
        || deriveState(sale, m_session.serverNow()) == SaleState::SoldOut;
    if (!confirm(live ? QMessageBox::Warning : QMessageBox::Question, tr("Top up"),
                 tr("Add %1 units to '%2'?").arg(dialog.add()).arg(sale.name),
                 {tr("Stock: preloaded %1 -> %2, left %3 -> %4.")
                      .arg(sale.preloadedStock)
                      .arg(sale.preloadedStock + dialog.add())
                      .arg(sale.stockLeft)
                      .arg(sale.stockLeft + dialog.add()),
                  live ? tr("The sale is live: shoppers can buy them at once.")
                       : tr("They are on sale from the start.")},
                 tr("Add %1 units").arg(dialog.add())))
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
    // Like every other live change, asked once more, with Cancel the default.
    const bool live = deriveState(sale, m_session.serverNow()) == SaleState::Live;
    if (!confirm(live ? QMessageBox::Warning : QMessageBox::Question, tr("Change the rate"),
                 tr("Change the rate of '%1' from %2 to %3?")
                     .arg(sale.name, formatRate(sale.ratePerSecond, sale.burst),
                          formatRate(dialog.ratePerSecond(), dialog.burst())),
                 {live ? tr("The sale is live: buys above the new rate are answered 429 "
                            "rate_limited at once.")
                       : tr("It applies from the start of the sale."),
                  tr("Accepted now: %1/s.").arg(sale.acceptedPerSecond, 0, 'f', 1)},
                 tr("Change the rate")))
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
        // OK stays off until there is a message: shoppers must be told something.
        QInputDialog ask(this);
        ask.setWindowTitle(tr("Trip degradation"));
        ask.setLabelText(tr("Buys of %1 will answer 503. Message shoppers will see:").arg(scope));
        ask.setTextValue(tr("The sale is paused for a moment, please try again soon."));
        if (auto *buttons = ask.findChild<QDialogButtonBox *>()) {
            QPushButton *ok = buttons->button(QDialogButtonBox::Ok);
            connect(&ask, &QInputDialog::textValueChanged, ok,
                    [ok](const QString &text) { ok->setEnabled(!text.trimmed().isEmpty()); });
        }
        if (ask.exec() != QDialog::Accepted)
            return;
        message = ask.textValue().trimmed();
        if (message.isEmpty())
            return;
    }
    if (!confirm(on ? QMessageBox::Warning : QMessageBox::Question,
                 on ? tr("Trip degradation") : tr("Reset degradation"),
                 on ? tr("Trip degradation for %1?").arg(scope)
                    : tr("Reset degradation for %1? Buys are accepted again.").arg(scope),
                 on ? QStringList {tr("Shoppers will see: %1").arg(message)} : QStringList {},
                 on ? tr("Trip") : tr("Reset")))
        return;
    if (const QStringList faults = m_session.setDegradation(goodsId, on, message);
        !faults.isEmpty())
        QMessageBox::warning(this, tr("Degradation not changed"), faults.join(u'\n'));
}

Status MainWindow::exportReport(const QString &directory, qint64 goodsId)
{
    QList<ProductsTableModel::Row> rows;
    for (const ProductsTableModel::Row &row : m_session.products().rows()) {
        if (goodsId == 0 || row.goods.goodsId == goodsId)
            rows.append(row);
    }
    if (goodsId != 0 && rows.isEmpty())
        return Status::failure(tr("there is no product %1").arg(goodsId));
    const SaleReport report(rows, m_session.history(), m_session.serverNow());
    if (Status s = report.write(directory); !s)
        return s;
    // The charts as evidence: the whole watched period at print size, not the screen's.
    return ReportChartImages::write(reportCharts(m_session.history(), rows, goodsId == 0),
                                    directory);
}

bool MainWindow::selectGoods(qint64 goodsId)
{
    return m_products->selectGoods(goodsId);
}

void MainWindow::exportReportInteractive(bool all)
{
    const qint64 goodsId = all ? 0 : m_products->selectedGoodsId();
    if (!all && goodsId == 0)
        return;
    const QString base = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString suggested = QDir(base).filePath(
        QStringLiteral("flashsale-report-%1-%2")
            .arg(all ? QStringLiteral("all") : QStringLiteral("product-%1").arg(goodsId),
                 QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
    const QString directory =
        QFileDialog::getSaveFileName(this, tr("Export report into folder"), suggested);
    if (directory.isEmpty())
        return;
    if (const Status s = exportReport(directory, goodsId); !s) {
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
