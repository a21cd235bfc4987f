#pragma once

#include "adminapi/salestatus.h"

#include <QDialog>

class QSpinBox;

namespace flashsale::console {

/// Asks how many units to add to a sale's stock (also during the sale).
class TopUpDialog : public QDialog
{
    Q_OBJECT
public:
    explicit TopUpDialog(const adminapi::SaleStatus &sale, QWidget *parent = nullptr);

    qint64 add() const;

private:
    QSpinBox *m_add = nullptr;
};

} // namespace flashsale::console
