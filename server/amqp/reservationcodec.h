#pragma once

#include "reservation.h"
#include "result.h"

#include <QByteArray>
#include <QList>

namespace flashsale::amqp {

/// Reads and writes the order message body described in reservation.h.
class ReservationCodec
{
public:
    /// The body of one message carrying \a batch.
    static QByteArray encode(const QList<Reservation> &batch);

    /// The reservations in \a body; fails with a message naming the first fault (bad JSON,
    /// unknown version, missing or out-of-range field), so a poison message can be logged.
    static Result<QList<Reservation>> decode(const QByteArray &body);

    /// The longest reservation id accepted.
    static constexpr int maxIdLength = 200;
};

} // namespace flashsale::amqp
