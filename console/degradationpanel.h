#pragma once

#include "adminapi/degradation.h"

#include <QDateTime>
#include <QMap>
#include <QWidget>

class QLabel;
class QPushButton;

namespace flashsale::console {

/// Kill switches and circuit breakers at a glance: the site switch and the selected
/// product's switch with their messages, and the breaker state of Redis, RabbitMQ and
/// PostgreSQL. The buttons trigger the window's actions, which ask for confirmation.
class DegradationPanel : public QWidget
{
    Q_OBJECT
public:
    explicit DegradationPanel(QWidget *parent = nullptr);

    /// The buttons run these actions (trip site, reset site, trip product, reset product).
    void setActions(QAction *tripSite, QAction *resetSite, QAction *tripProduct,
                    QAction *resetProduct);

    void showDegradation(const adminapi::Degradation &degradation);
    /// Which product the product switch shows (0: none selected).
    void showProduct(qint64 goodsId, const QString &name);
    void showBreakers(const QMap<QString, QString> &breakers);
    /// Marks everything as last known at \a since (greyed, with the time); invalid: live.
    void showStale(const QDateTime &since);
    /// The product section's text (for tests).
    QString productText() const;
    QString siteText() const;
    QString breakerText(const QString &name) const;

private:
    void refresh();
    void refreshProduct();

    adminapi::Degradation m_degradation;
    qint64 m_goodsId = 0;
    QString m_productName;
    QMap<QString, QString> m_breakerStates;
    QDateTime m_staleSince; ///< invalid: live
    QLabel *m_stale = nullptr;
    QLabel *m_site = nullptr;
    QLabel *m_product = nullptr;
    QMap<QString, QLabel *> m_breakers;
};

} // namespace flashsale::console
