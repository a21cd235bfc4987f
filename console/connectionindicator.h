#pragma once

#include "adminapi/adminclient.h"

#include <QLabel>

namespace flashsale::console {

/// The connection state in the status bar: a coloured dot and the client's message.
class ConnectionIndicator : public QLabel
{
    Q_OBJECT
public:
    explicit ConnectionIndicator(QWidget *parent = nullptr);

    /// Shows \a state with \a message (which also becomes the tooltip); connected without
    /// the live feed (\a live false) shows amber.
    void show(adminapi::AdminClient::State state, const QString &message, bool live);
};

} // namespace flashsale::console
