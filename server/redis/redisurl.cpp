#include "redisurl.h"

#include <QUrl>

namespace flashsale::redis {

namespace {

Result<RedisEndpoint> endpointFailure(QStringView text, const QString &why)
{
    return Result<RedisEndpoint>::failure(
        QStringLiteral("bad Redis address '%1': %2").arg(text.toString(), why));
}

} // namespace

QString RedisEndpoint::toString() const
{
    if (host.contains(u':'))
        return QStringLiteral("[%1]:%2").arg(host).arg(port);
    return QStringLiteral("%1:%2").arg(host).arg(port);
}

Result<RedisEndpoint> RedisEndpoint::parse(QStringView text)
{
    RedisEndpoint endpoint;
    QStringView rest = text;
    QStringView portText;
    if (rest.startsWith(u'[')) {
        const qsizetype close = rest.indexOf(u']');
        if (close < 0)
            return endpointFailure(text, QStringLiteral("unclosed '['"));
        endpoint.host = rest.mid(1, close - 1).toString();
        rest = rest.mid(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(u':'))
                return endpointFailure(text, QStringLiteral("expected ':' after ']'"));
            portText = rest.mid(1);
            if (portText.isEmpty())
                return endpointFailure(text, QStringLiteral("empty port"));
        }
    } else {
        const qsizetype colon = rest.lastIndexOf(u':');
        if (colon >= 0) {
            if (rest.left(colon).contains(u':'))
                return endpointFailure(text,
                                       QStringLiteral("IPv6 addresses need brackets: [::1]:6379"));
            endpoint.host = rest.left(colon).toString();
            portText = rest.mid(colon + 1);
            if (portText.isEmpty())
                return endpointFailure(text, QStringLiteral("empty port"));
        } else {
            endpoint.host = rest.toString();
        }
    }
    if (endpoint.host.isEmpty())
        return endpointFailure(text, QStringLiteral("no host"));
    for (QChar c : std::as_const(endpoint.host)) {
        if (c.isSpace() || c == u'/' || c == u'@' || c == u'?' || c == u'#' || c == u',')
            return endpointFailure(text, QStringLiteral("the host has a '%1'").arg(c));
    }
    if (!portText.isEmpty()) {
        bool ok = false;
        const int port = portText.toInt(&ok);
        if (!ok || port <= 0 || port > 65535)
            return endpointFailure(text, QStringLiteral("port must be 1..65535"));
        endpoint.port = port;
    }
    return endpoint;
}

Result<RedisUrl> RedisUrl::parse(const QString &text)
{
    // Never echo a password into a log: mask the credentials in messages.
    QString shown = text;
    if (const qsizetype at = shown.lastIndexOf(u'@'); at >= 0) {
        const qsizetype schemeEnd = shown.indexOf(QStringLiteral("://"));
        const qsizetype from = schemeEnd >= 0 && schemeEnd < at ? schemeEnd + 3 : 0;
        shown.replace(from, at - from, QStringLiteral("***"));
    }
    const auto fail = [&shown](const QString &why) {
        return Result<RedisUrl>::failure(QStringLiteral("bad Redis URL '%1': %2").arg(shown, why));
    };
    if (text.trimmed().isEmpty())
        return Result<RedisUrl>::failure(QStringLiteral("Redis URL is empty"));
    RedisUrl url;
    QStringView rest(text);
    if (rest.startsWith(u"redis://")) {
        rest = rest.mid(8);
    } else if (rest.startsWith(u"redis-cluster://")) {
        url.kind = Kind::Cluster;
        rest = rest.mid(16);
    } else {
        return fail(QStringLiteral("it must start with redis:// or redis-cluster://"));
    }
    const qsizetype at = rest.lastIndexOf(u'@');
    if (at >= 0) {
        const QStringView userInfo = rest.left(at);
        rest = rest.mid(at + 1);
        const qsizetype colon = userInfo.indexOf(u':');
        if (colon < 0)
            return fail(QStringLiteral("credentials must be ':password@' or 'user:password@'"));
        url.user = QUrl::fromPercentEncoding(userInfo.left(colon).toUtf8());
        url.password = QUrl::fromPercentEncoding(userInfo.mid(colon + 1).toUtf8());
        if (url.password.isEmpty())
            return fail(QStringLiteral("empty password"));
    }
    const qsizetype slash = rest.indexOf(u'/');
    if (slash >= 0) {
        const QStringView path = rest.mid(slash + 1);
        rest = rest.left(slash);
        if (url.kind == Kind::Cluster) {
            if (!path.isEmpty() && path != u"0")
                return fail(QStringLiteral("a Redis Cluster has only database 0"));
        } else if (!path.isEmpty()) {
            bool ok = false;
            url.database = path.toInt(&ok);
            if (!ok || url.database < 0)
                return fail(QStringLiteral("the database must be a number >= 0, not '%1'")
                                .arg(path.toString()));
        }
    }
    if (rest.isEmpty())
        return fail(QStringLiteral("no host"));
    const QList<QStringView> parts = rest.split(u',');
    if (url.kind == Kind::Standalone && parts.size() > 1)
        return fail(QStringLiteral("several hosts need redis-cluster://"));
    for (QStringView part : parts) {
        Result<RedisEndpoint> endpoint = RedisEndpoint::parse(part);
        if (!endpoint)
            return fail(endpoint.error());
        url.nodes.append(endpoint.value());
    }
    return url;
}

QString RedisUrl::displayName() const
{
    QStringList hosts;
    for (const RedisEndpoint &node : nodes)
        hosts.append(node.toString());
    if (kind == Kind::Cluster)
        return QStringLiteral("redis-cluster://") + hosts.join(u',');
    QString name = QStringLiteral("redis://") + hosts.join(u',');
    if (database != 0)
        name += u'/' + QString::number(database);
    return name;
}

QString RedisUrl::toString() const
{
    QString credentials;
    if (!password.isEmpty())
        credentials = QString::fromUtf8(QUrl::toPercentEncoding(user)) + u':'
            + QString::fromUtf8(QUrl::toPercentEncoding(password)) + u'@';
    QString url = displayName();
    url.insert(url.indexOf(QStringLiteral("://")) + 3, credentials);
    return url;
}

} // namespace flashsale::redis
