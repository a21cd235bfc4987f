#include "scheduledialog.h"

#include "consolesession.h"
#include "salestate.h"
#include "timeformat.h"
#include "validation.h"

#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFontMetrics>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

#include <cmath>

namespace flashsale::console {

namespace {

QDateTimeEdit *timeEdit(const QDateTime &utc, const QString &name, QWidget *parent)
{
    auto *edit = new QDateTimeEdit(utc.toLocalTime(), parent);
    edit->setObjectName(name);
    edit->setCalendarPopup(true);
    edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    return edit;
}

// "in 00:04:59" or "00:01:00 ago"
QString relative(const QDateTime &now, const QDateTime &at)
{
    const qint64 s = now.secsTo(at);
    return s >= 0 ? QObject::tr("in %1").arg(formatCountdown(s))
                  : QObject::tr("%1 ago").arg(formatCountdown(-s));
}

// Room for this many lines of a label, so the dialog does not jump as texts come and go.
void reserveLines(QLabel *label, int lines)
{
    label->setWordWrap(true);
    label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    label->setMinimumHeight(QFontMetrics(label->font()).lineSpacing() * lines + 4);
}

} // namespace

ScheduleDialog::ScheduleDialog(const adminapi::SaleStatus &current, const ConsoleSession &session,
                               QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_initial(current)
{
    setWindowTitle(current.isScheduled() ? tr("Change the sale of '%1'").arg(current.name)
                                         : tr("Schedule and preload '%1'").arg(current.name));
    const adminapi::SaleSchedule initial = initialSchedule(current, session.serverNow());

    m_banner = new QLabel(this);
    m_banner->setObjectName(QStringLiteral("banner"));
    m_banner->setWordWrap(true);
    m_banner->setMinimumWidth(460);
    m_stock = new QSpinBox(this);
    m_stock->setObjectName(QStringLiteral("stock"));
    m_stock->setRange(0, 1'000'000'000);
    m_stock->setValue(int(initial.stock));
    m_stock->setGroupSeparatorShown(true);
    m_reveal = timeEdit(initial.revealAt, QStringLiteral("reveal"), this);
    m_start = timeEdit(initial.startAt, QStringLiteral("start"), this);
    m_end = timeEdit(initial.endAt, QStringLiteral("end"), this);
    m_rate = new QDoubleSpinBox(this);
    m_rate->setObjectName(QStringLiteral("rate"));
    m_rate->setRange(0, 1'000'000);
    m_rate->setDecimals(1);
    m_rate->setSuffix(tr(" /s"));
    m_rate->setValue(initial.ratePerSecond);
    m_burst = new QSpinBox(this);
    m_burst->setObjectName(QStringLiteral("burst"));
    m_burst->setRange(0, 1'000'000);
    m_burst->setValue(int(initial.burst));
    m_challenge = new QSpinBox(this);
    m_challenge->setObjectName(QStringLiteral("challenge"));
    m_challenge->setRange(0, 24);
    m_challenge->setSpecialValueText(tr("none"));
    m_challenge->setSuffix(tr(" bits"));
    m_challenge->setValue(initial.challengeBits);
    m_challenge->setToolTip(
        tr("Shoppers solve a proof of work before they get the buy path: about 2^bits SHA-256 "
           "hashes (16 bits: well under a second in a browser; 20 bits: several seconds)."));
    m_addressWindow = new QDoubleSpinBox(this);
    m_addressWindow->setObjectName(QStringLiteral("addressWindow"));
    m_addressWindow->setRange(0, 3600);
    m_addressWindow->setDecimals(1);
    m_addressWindow->setSpecialValueText(tr("none"));
    m_addressWindow->setSuffix(tr(" s"));
    m_addressWindow->setValue(initial.addressWindowMs / 1000.0);
    m_addressWindow->setToolTip(
        tr("At most one buy attempt per client address in this time, beside the one per "
           "shopper: one bot may hold many accounts (shoppers behind one NAT share it too)."));
    m_countdown = new QLabel(this);
    m_changes = new QLabel(this);
    m_changes->setObjectName(QStringLiteral("changes"));
    m_changes->setTextFormat(Qt::RichText);
    reserveLines(m_changes, 8);
    m_faults = new QLabel(this);
    m_faults->setObjectName(QStringLiteral("faults"));
    m_faults->setStyleSheet(QStringLiteral("color: #b3261e"));
    reserveLines(m_faults, 3);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_cancel = buttons->button(QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *form = new QFormLayout(this);
    form->addRow(m_banner);
    form->addRow(tr("&Stock to preload:"), m_stock);
    form->addRow(tr("&Reveal URL at:"), m_reveal);
    form->addRow(tr("S&tart at:"), m_start);
    form->addRow(tr("&End at:"), m_end);
    form->addRow(QString(), new QLabel(tr("Times in %1").arg(localZoneDescription()), this));
    form->addRow(tr("Token &rate:"), m_rate);
    form->addRow(tr("&Burst:"), m_burst);
    form->addRow(tr("Proof of &work:"), m_challenge);
    form->addRow(tr("Per-&address window:"), m_addressWindow);
    form->addRow(m_countdown);
    form->addRow(m_changes);
    form->addRow(m_faults);
    form->addRow(buttons);

    for (QDateTimeEdit *edit : {m_reveal, m_start, m_end})
        connect(edit, &QDateTimeEdit::dateTimeChanged, this, &ScheduleDialog::check);
    connect(m_stock, &QSpinBox::valueChanged, this, &ScheduleDialog::check);
    connect(m_rate, &QDoubleSpinBox::valueChanged, this, &ScheduleDialog::check);
    connect(m_burst, &QSpinBox::valueChanged, this, &ScheduleDialog::check);
    connect(m_challenge, &QSpinBox::valueChanged, this, &ScheduleDialog::check);
    connect(m_addressWindow, &QDoubleSpinBox::valueChanged, this, &ScheduleDialog::check);
    // Time passes while the dialog is open: the sale may reach its reveal or start, and
    // the countdown and "in the past" move with it.
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &ScheduleDialog::check);
    m_tick.start();
    check();
}

adminapi::SaleStatus ScheduleDialog::current() const
{
    const int row = m_session.products().rowOf(m_initial.goodsId);
    return row >= 0 ? m_session.products().row(row).sale : m_initial;
}

adminapi::SaleSchedule ScheduleDialog::schedule() const
{
    adminapi::SaleSchedule s;
    s.stock = m_stock->value();
    s.revealAt = m_reveal->dateTime().toUTC();
    s.startAt = m_start->dateTime().toUTC();
    s.endAt = m_end->dateTime().toUTC();
    s.ratePerSecond = m_rate->value();
    s.burst = m_burst->value();
    s.challengeBits = m_challenge->value();
    s.addressWindowMs = int(std::lround(m_addressWindow->value() * 1000));
    const adminapi::SaleStatus sale = current();
    // What the sale keeps is sent as the server holds it, to the millisecond.
    if (m_change.revealLocked)
        s.revealAt = sale.revealAt.isValid() ? sale.revealAt : sale.startAt;
    if (m_change.startLocked)
        s.startAt = sale.startAt;
    if (m_change.stockLocked)
        s.stock = sale.preloadedStock;
    return s;
}

void ScheduleDialog::check()
{
    const adminapi::SaleStatus sale = current();
    const QDateTime now = m_session.serverNow();
    const ScheduleChange before = m_change;
    m_change = describeScheduleChange(sale, schedule(), now);
    if (m_change.revealLocked != before.revealLocked || m_change.startLocked != before.startLocked
        || m_change.stockLocked != before.stockLocked) {
        // A lock appeared (the sale reached its reveal or start meanwhile): its editor shows
        // the value the sale keeps.
        const QSignalBlocker r(m_reveal), st(m_start), sk(m_stock);
        if (m_change.revealLocked)
            m_reveal->setDateTime(
                (sale.revealAt.isValid() ? sale.revealAt : sale.startAt).toLocalTime());
        if (m_change.startLocked)
            m_start->setDateTime(sale.startAt.toLocalTime());
        if (m_change.stockLocked)
            m_stock->setValue(int(sale.preloadedStock));
        m_change = describeScheduleChange(sale, schedule(), now);
    }
    m_reveal->setEnabled(!m_change.revealLocked);
    m_reveal->setToolTip(m_change.revealLocked ? tr("The buy path is out: the reveal stays.")
                                               : QString());
    m_start->setEnabled(!m_change.startLocked);
    m_start->setToolTip(m_change.startLocked ? tr("Buying is open: the start stays.") : QString());
    m_stock->setEnabled(!m_change.stockLocked);
    m_stock->setToolTip(m_change.stockLocked ? tr("Units are sold: use Top up to add stock.")
                                             : QString());

    m_banner->setText(m_change.headline);
    m_banner->setStyleSheet(
        m_change.inProgress ? QStringLiteral("background: #fdecea; color: #8c1d18; padding: "
                                             "6px; border: 1px solid #c62828; font-weight: bold")
                            : QStringLiteral("padding: 6px"));
    const adminapi::SaleSchedule s = schedule();
    m_countdown->setText(tr("Reveal %1, start %2, lasts %3")
                             .arg(relative(now, s.revealAt), relative(now, s.startAt),
                                  formatCountdown(s.startAt.secsTo(s.endAt))));
    QString changes = tr("<b>What this does:</b><ul style='margin: 0'>");
    for (const QString &line : m_change.changes)
        changes += QStringLiteral("<li>%1</li>").arg(line.toHtmlEscaped());
    m_changes->setText(changes + QStringLiteral("</ul>"));

    QStringList faults =
        scheduleFaults(s, now, m_change.revealLocked, m_change.startLocked) + m_change.faults;
    if (faults.isEmpty() && !m_change.changesAnything)
        faults.append(tr("Nothing to change yet."));
    m_faults->setText(faults.join(u'\n'));
    m_ok->setEnabled(faults.isEmpty());

    const bool draft = m_change.stage == SaleEditRules::Stage::Draft;
    m_ok->setText(m_change.stage == SaleEditRules::Stage::Live ? tr("Apply to the live sale")
                      : m_change.stage == SaleEditRules::Stage::Revealed
                      ? tr("Apply to the revealed sale")
                      : draft ? tr("Preload and schedule")
                              : tr("Apply"));
    // Enter must not change a sale shoppers are in: there the safe button is the default.
    m_ok->setDefault(!m_change.inProgress);
    m_ok->setAutoDefault(!m_change.inProgress);
    m_cancel->setDefault(m_change.inProgress);
    m_cancel->setAutoDefault(m_change.inProgress);
}

} // namespace flashsale::console
