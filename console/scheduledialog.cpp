#include "scheduledialog.h"

#include "consolesession.h"
#include "salestate.h"
#include "validation.h"

#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

namespace flashsale::console {

namespace {

QDateTimeEdit *timeEdit(const QDateTime &utc, QWidget *parent)
{
    auto *edit = new QDateTimeEdit(utc.toLocalTime(), parent);
    edit->setCalendarPopup(true);
    edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    return edit;
}

QDateTime wholeSecond(const QDateTime &time)
{
    return time.addMSecs(-time.time().msec());
}

} // namespace

ScheduleDialog::ScheduleDialog(const adminapi::SaleStatus &current, const ConsoleSession &session,
                               QWidget *parent)
    : QDialog(parent)
    , m_session(session)
{
    setWindowTitle(tr("Schedule and preload '%1'").arg(current.name));
    const QDateTime now = wholeSecond(session.serverNow());
    // Keep a future schedule as it is; otherwise suggest one a few minutes from now.
    const bool keep = current.isScheduled() && current.revealAt.isValid() && current.revealAt > now;
    const QDateTime reveal = keep ? current.revealAt : now.addSecs(5 * 60);
    const QDateTime start = keep ? current.startAt : now.addSecs(10 * 60);
    const QDateTime end = keep ? current.endAt : start.addSecs(60 * 60);

    m_stock = new QSpinBox(this);
    m_stock->setRange(0, 1'000'000'000);
    m_stock->setValue(int(current.preloadedStock > 0 ? current.preloadedStock : 100));
    m_stock->setGroupSeparatorShown(true);
    m_reveal = timeEdit(reveal, this);
    m_start = timeEdit(start, this);
    m_end = timeEdit(end, this);
    m_rate = new QDoubleSpinBox(this);
    m_rate->setRange(0, 1'000'000);
    m_rate->setDecimals(1);
    m_rate->setSuffix(tr(" /s"));
    m_rate->setValue(current.ratePerSecond > 0 ? current.ratePerSecond : 100);
    m_burst = new QSpinBox(this);
    m_burst->setRange(0, 1'000'000);
    m_burst->setValue(int(current.burst > 0 ? current.burst : 50));
    m_countdown = new QLabel(this);
    m_faults = new QLabel(this);
    m_faults->setStyleSheet(QStringLiteral("color: #b3261e"));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Preload and schedule"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *form = new QFormLayout(this);
    form->addRow(tr("&Stock to preload:"), m_stock);
    form->addRow(tr("&Reveal URL at:"), m_reveal);
    form->addRow(tr("S&tart at:"), m_start);
    form->addRow(tr("&End at:"), m_end);
    form->addRow(tr("Token &rate:"), m_rate);
    form->addRow(tr("&Burst:"), m_burst);
    form->addRow(m_countdown);
    form->addRow(m_faults);
    form->addRow(buttons);

    for (QDateTimeEdit *edit : {m_reveal, m_start, m_end})
        connect(edit, &QDateTimeEdit::dateTimeChanged, this, &ScheduleDialog::check);
    connect(m_stock, &QSpinBox::valueChanged, this, &ScheduleDialog::check);
    connect(m_rate, &QDoubleSpinBox::valueChanged, this, &ScheduleDialog::check);
    connect(m_burst, &QSpinBox::valueChanged, this, &ScheduleDialog::check);
    // Time passes while the dialog is open: the countdown and "in the past" move with it.
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &ScheduleDialog::check);
    m_tick.start();
    check();
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
    return s;
}

void ScheduleDialog::check()
{
    const adminapi::SaleSchedule s = schedule();
    const QDateTime now = m_session.serverNow();
    m_countdown->setText(tr("Reveal in %1, start in %2, lasts %3")
                             .arg(formatCountdown(now.secsTo(s.revealAt)),
                                  formatCountdown(now.secsTo(s.startAt)),
                                  formatCountdown(s.startAt.secsTo(s.endAt))));
    const QStringList faults = scheduleFaults(s, now);
    m_faults->setText(faults.join(u'\n'));
    m_faults->setVisible(!faults.isEmpty());
    m_ok->setEnabled(faults.isEmpty());
}

} // namespace flashsale::console
