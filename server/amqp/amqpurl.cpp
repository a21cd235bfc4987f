#include "amqpurl.h"

#include <QUrl>

namespace flashsale::amqp {

Result<AmqpUrl> AmqpUrl::parse(const QString &text)
{
    using R = Result<AmqpUrl>;
    if (text.trimmed().isEmpty())
        return R::failure(QStringLiteral("AMQP URL is empty"));
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid())
        return R::failure(
            QStringLiteral("AMQP URL '%1' is not a valid URL: %2").arg(text, url.errorString()));
    if (url.scheme() == u"amqps")
        return R::failure(QStringLiteral("AMQP URL: amqps:// (TLS) is not supported, use amqp://"));
    if (url.scheme() != u"amqp")
        return R::failure(
            QStringLiteral("AMQP URL must start with amqp://, not '%1'").arg(text.left(16)));
    AmqpUrl result;
    result.host = url.host();
    if (result.host.isEmpty())
        return R::failure(
            QStringLiteral("AMQP URL has no host: amqp://user:password@host:port/vhost"));
    result.port = url.port(5672);
    if (result.port <= 0 || result.port > 65535)
        return R::failure(QStringLiteral("AMQP URL has a bad port"));
    if (!url.userName().isEmpty())
        result.user = url.userName();
    if (url.userInfo().contains(u':') || !url.userName().isEmpty())
        result.password = url.password();
    // The path is one segment: the vhost, percent-decoded ("/%2F" is the default vhost).
    const QString path = url.path(QUrl::FullyEncoded);
    if (path.isEmpty() || path == u"/") {
        result.vhost = QStringLiteral("/");
    } else {
        const QString encoded = path.mid(1);
        if (encoded.contains(u'/'))
            return R::failure(
                QStringLiteral(
                    "AMQP URL path must be one vhost name (write '/' inside it as %2F): '%1'")
                    .arg(path));
        result.vhost = QUrl::fromPercentEncoding(encoded.toLatin1());
    }
    if (url.hasQuery() || url.hasFragment())
        return R::failure(QStringLiteral("AMQP URL: query and fragment are not supported"));
    return result;
}

QString AmqpUrl::displayName() const
{
    return QStringLiteral("%1:%2%3%4")
        .arg(host)
        .arg(port)
        .arg(vhost.startsWith(u'/') ? QString() : QStringLiteral("/"), vhost);
}

} // namespace flashsale::amqp
