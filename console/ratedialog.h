#pragma once

#include "adminapi/salestatus.h"

#include <QDialog>

class QDoubleSpinBox;
class QLabel;
class QSpinBox;

namespace flashsale::console {

class ConsoleSession;

/// Tunes a sale's token rate and burst while it runs, with the accepted rate the server
/// observes shown beside them and kept current from the live feed.
class RateDialog : public QDialog
{
    Q_OBJECT
public:
    RateDialog(const adminapi::SaleStatus &sale, ConsoleSession &session,
               QWidget *parent = nullptr);

    double ratePerSecond() const;
    qint64 burst() const;

private:
    void showObserved();

    ConsoleSession &m_session;
    qint64 m_goodsId = 0;
    QDoubleSpinBox *m_rate = nullptr;
    QSpinBox *m_burst = nullptr;
    QLabel *m_observed = nullptr;
};

} // namespace flashsale::console
