#pragma once

#include "adminapi/goods.h"

#include <QDialog>

class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace flashsale::console {

/// Creates or edits a product's details (what the static page shows). OK stays disabled
/// while the details are invalid, and the faults are listed.
class ProductDialog : public QDialog
{
    Q_OBJECT
public:
    /// Edits \a goods (goodsId 0: a new product).
    explicit ProductDialog(const adminapi::Goods &goods, QWidget *parent = nullptr);

    adminapi::Goods goods() const;

private:
    void check();

    qint64 m_goodsId = 0;
    QLineEdit *m_name = nullptr;
    QPlainTextEdit *m_description = nullptr;
    QLineEdit *m_image = nullptr;
    QDoubleSpinBox *m_price = nullptr;
    QDoubleSpinBox *m_flashPrice = nullptr;
    QLabel *m_faults = nullptr;
    QPushButton *m_ok = nullptr;
};

} // namespace flashsale::console
