#include "connectiondialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFontMetrics>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>

namespace flashsale::console {

namespace {
const QString kUrlKey = QStringLiteral("connection/url");
const QString kTokenKey = QStringLiteral("connection/token");
} // namespace

ConnectionDialog::ConnectionDialog(const QUrl &address, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Connect to a flashsale server"));
    // The address in use: fixing only the token must not point the console elsewhere.
    m_url = new QLineEdit((address.isValid() ? address : rememberedUrl()).toString(), this);
    m_url->setPlaceholderText(QStringLiteral("http://127.0.0.1:8081"));
    m_token = new QLineEdit(rememberedToken(), this);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("the server's --admin-token"));
    m_rememberToken = new QCheckBox(tr("Remember the token on this computer"), this);
    m_rememberToken->setChecked(!rememberedToken().isEmpty());
    m_problem = new QLabel(this);
    m_problem->setStyleSheet(QStringLiteral("color: #b3261e"));
    m_problem->setWordWrap(true);
    // Room for the message from the start: the dialog does not jump when one appears.
    m_problem->setMinimumHeight(QFontMetrics(m_problem->font()).lineSpacing() * 2 + 4);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *form = new QFormLayout(this);
    form->addRow(tr("Admin &address:"), m_url);
    form->addRow(tr("Admin &token:"), m_token);
    form->addRow(QString(), m_rememberToken);
    form->addRow(m_problem);
    form->addRow(buttons);
    if (!m_url->text().isEmpty())
        m_token->setFocus();
}

QUrl ConnectionDialog::url() const
{
    return QUrl::fromUserInput(m_url->text().trimmed());
}

QString ConnectionDialog::token() const
{
    return m_token->text().trimmed();
}

void ConnectionDialog::accept()
{
    const QUrl address = url();
    if (!address.isValid() || address.host().isEmpty()
        || (address.scheme() != u"http" && address.scheme() != u"https")) {
        m_problem->setText(tr("Give the admin address as http://host:port."));
        return;
    }
    if (token().isEmpty()) {
        m_problem->setText(tr("The admin token is needed."));
        return;
    }
    remember(address, m_rememberToken->isChecked() ? token() : QString());
    if (!m_rememberToken->isChecked())
        QSettings().remove(kTokenKey);
    QDialog::accept();
}

QUrl ConnectionDialog::rememberedUrl()
{
    return QUrl(QSettings().value(kUrlKey, QStringLiteral("http://127.0.0.1:8081")).toString());
}

QString ConnectionDialog::rememberedToken()
{
    return QSettings().value(kTokenKey).toString();
}

void ConnectionDialog::remember(const QUrl &url, const QString &token)
{
    QSettings settings;
    settings.setValue(kUrlKey, url.toString());
    if (!token.isEmpty())
        settings.setValue(kTokenKey, token);
}

} // namespace flashsale::console
