#pragma once

#include "adminapi/saleschedule.h"
#include "adminapi/salestatus.h"
#include "schedulechange.h"

#include <QDialog>
#include <QTimer>

class QDateTimeEdit;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace flashsale::console {

class ConsoleSession;

/// Schedules a product's sale, or changes a sale that exists. It opens with the sale's
/// values in force; what the sale's stage keeps (SaleEditRules: the reveal once revealed,
/// the start and the stock once live) is shown locked, and a live or revealed sale is
/// announced at the top. Below the form it says what sending would change, in the words
/// of the confirmation. The times are edited in local time, with the zone shown.
class ScheduleDialog : public QDialog
{
    Q_OBJECT
public:
    ScheduleDialog(const adminapi::SaleStatus &current, const ConsoleSession &session,
                   QWidget *parent = nullptr);

    adminapi::SaleSchedule schedule() const;
    /// What sending schedule() would do, as of the last check (once a second).
    const ScheduleChange &change() const { return m_change; }
    /// The sale the dialog compares with: the newest the session has.
    adminapi::SaleStatus current() const;

    QDateTimeEdit *revealEdit() const { return m_reveal; }
    QDateTimeEdit *startEdit() const { return m_start; }
    QDateTimeEdit *endEdit() const { return m_end; }
    QSpinBox *stockEdit() const { return m_stock; }
    QPushButton *okButton() const { return m_ok; }
    QPushButton *cancelButton() const { return m_cancel; }

private:
    void check();

    const ConsoleSession &m_session;
    adminapi::SaleStatus m_initial;
    ScheduleChange m_change;
    QLabel *m_banner = nullptr;
    QSpinBox *m_stock = nullptr;
    QDateTimeEdit *m_reveal = nullptr;
    QDateTimeEdit *m_start = nullptr;
    QDateTimeEdit *m_end = nullptr;
    QDoubleSpinBox *m_rate = nullptr;
    QSpinBox *m_burst = nullptr;
    QSpinBox *m_challenge = nullptr; ///< proof-of-work bits (0: none)
    QDoubleSpinBox *m_addressWindow = nullptr; ///< seconds (0: none)
    QLabel *m_countdown = nullptr;
    QLabel *m_changes = nullptr;
    QLabel *m_faults = nullptr;
    QPushButton *m_ok = nullptr;
    QPushButton *m_cancel = nullptr;
    QTimer m_tick;
};

} // namespace flashsale::console
