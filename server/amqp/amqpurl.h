#pragma once

#include "result.h"

#include <QString>

namespace flashsale::amqp {

/// Where a RabbitMQ broker is: parsed from `amqp://user:password@host:port/vhost`.
/// The port defaults to 5672, the user and password to guest; an empty path (or `/`)
/// means the default virtual host `/`, any other path is the percent-decoded vhost name
/// (`/%2F` is `/` too).
struct AmqpUrl
{
    QString host; ///< host name or address
    int port = 5672; ///< TCP port
    QString user = QStringLiteral("guest"); ///< user to log in as
    QString password = QStringLiteral("guest"); ///< that user's password
    QString vhost = QStringLiteral("/"); ///< virtual host

    /// Parses \a url; fails with a message that names what is wrong.
    static Result<AmqpUrl> parse(const QString &url);

    /// "host:port/vhost", for messages (no credentials).
    QString displayName() const;
};

} // namespace flashsale::amqp
