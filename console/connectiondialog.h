#pragma once

#include <QDialog>
#include <QUrl>

class QCheckBox;
class QLineEdit;
class QLabel;

namespace flashsale::console {

/// Asks for the admin API address and token; both are remembered with QSettings. The token
/// is typed and shown as dots only.
class ConnectionDialog : public QDialog
{
    Q_OBJECT
public:
    /// Offers \a address (the one in use; the remembered one when invalid).
    explicit ConnectionDialog(const QUrl &address = {}, QWidget *parent = nullptr);

    QUrl url() const;
    QString token() const;

    /// The remembered address (default http://127.0.0.1:8081) and token (empty if none).
    static QUrl rememberedUrl();
    static QString rememberedToken();
    /// Remembers \a url, and \a token unless it is empty.
    static void remember(const QUrl &url, const QString &token);

    void accept() override;

private:
    QLineEdit *m_url = nullptr;
    QLineEdit *m_token = nullptr;
    QCheckBox *m_rememberToken = nullptr;
    QLabel *m_problem = nullptr;
};

} // namespace flashsale::console
