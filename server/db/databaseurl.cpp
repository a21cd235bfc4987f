#include "databaseurl.h"

#include <QUrl>

namespace flashsale::db {

Result<DatabaseUrl> DatabaseUrl::parse(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    if (text.isEmpty())
        return Result<DatabaseUrl>::failure(QStringLiteral("database URL is empty"));
    if (!url.isValid())
        return Result<DatabaseUrl>::failure(
            QStringLiteral("database URL is not a valid URL: %1").arg(url.errorString()));
    if (url.scheme() != u"postgres" && url.scheme() != u"postgresql")
        return Result<DatabaseUrl>::failure(
            QStringLiteral("database URL must start with postgres://, not '%1://'")
                .arg(url.scheme()));
    DatabaseUrl result;
    result.host = url.host();
    if (result.host.isEmpty())
        return Result<DatabaseUrl>::failure(QStringLiteral("database URL has no host"));
    result.port = url.port(5432);
    if (result.port <= 0 || result.port > 65535)
        return Result<DatabaseUrl>::failure(QStringLiteral("database URL has a bad port"));
    result.user = url.userName();
    result.password = url.password();
    result.name = url.path().mid(1);
    if (result.name.isEmpty() || result.name.contains(u'/'))
        return Result<DatabaseUrl>::failure(
            QStringLiteral("database URL must name one database: postgres://host:port/name"));
    return result;
}

QString DatabaseUrl::displayName() const
{
    return host + u':' + QString::number(port) + u'/' + name;
}

DatabaseUrl DatabaseUrl::withName(const QString &otherName) const
{
    DatabaseUrl copy = *this;
    copy.name = otherName;
    return copy;
}

QString DatabaseUrl::toString() const
{
    QUrl url;
    url.setScheme(QStringLiteral("postgres"));
    url.setHost(host);
    url.setPort(port);
    url.setUserName(user);
    url.setPassword(password);
    url.setPath(u'/' + name);
    return url.toString();
}

} // namespace flashsale::db
