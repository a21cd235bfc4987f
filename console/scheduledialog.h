#pragma once

#include "saleschedule.h"
#include "salestatus.h"

#include <QDialog>
#include <QTimer>

class QDateTimeEdit;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace flashsale::console {

class ConsoleSession;

/// Preloads a product's stock and schedules its URL reveal and sale window. The times are
/// edited in local time; the rules (reveal <= start < end, none in the past) are checked
/// as the operator types, and a countdown shows how far each moment is.
class ScheduleDialog : public QDialog
{
    Q_OBJECT
public:
    ScheduleDialog(const adminapi::SaleStatus &current, const ConsoleSession &session,
                   QWidget *parent = nullptr);

    adminapi::SaleSchedule schedule() const;

private:
    void check();

    const ConsoleSession &m_session;
    QSpinBox *m_stock = nullptr;
    QDateTimeEdit *m_reveal = nullptr;
    QDateTimeEdit *m_start = nullptr;
    QDateTimeEdit *m_end = nullptr;
    QDoubleSpinBox *m_rate = nullptr;
    QSpinBox *m_burst = nullptr;
    QLabel *m_countdown = nullptr;
    QLabel *m_faults = nullptr;
    QPushButton *m_ok = nullptr;
    QTimer m_tick;
};

} // namespace flashsale::console
