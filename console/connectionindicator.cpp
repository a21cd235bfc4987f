#include "connectionindicator.h"

namespace flashsale::console {

using State = adminapi::AdminClient::State;

ConnectionIndicator::ConnectionIndicator(QWidget *parent)
    : QLabel(parent)
{
    setTextFormat(Qt::RichText);
    show(State::Disconnected, tr("Not connected"), false);
}

void ConnectionIndicator::show(State state, const QString &message, bool live)
{
    QString colour;
    switch (state) {
    case State::Connected:
        colour = live ? QStringLiteral("#2e7d32") : QStringLiteral("#f9a825");
        break;
    case State::Connecting:
        colour = QStringLiteral("#f9a825");
        break;
    case State::Unreachable:
    case State::Unauthorized:
        colour = QStringLiteral("#c62828");
        break;
    case State::Disconnected:
        colour = QStringLiteral("#757575");
        break;
    }
    setText(QStringLiteral("<span style='color:%1'>&#9679;</span> %2")
                .arg(colour, message.toHtmlEscaped()));
    setToolTip(message);
}

} // namespace flashsale::console
