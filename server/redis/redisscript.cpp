#include "redisscript.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>

namespace flashsale::redis {

RedisScript::RedisScript(QString name, QByteArray source)
    : m_name(std::move(name))
    , m_source(std::move(source))
    , m_sha1(QCryptographicHash::hash(m_source, QCryptographicHash::Sha1).toHex())
{ }

Result<RedisScript> RedisScript::fromFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result<RedisScript>::failure(
            QStringLiteral("cannot read the Redis script %1: %2").arg(path, file.errorString()));
    const QByteArray source = file.readAll();
    if (source.isEmpty())
        return Result<RedisScript>::failure(
            QStringLiteral("the Redis script %1 is empty").arg(path));
    return RedisScript(QFileInfo(path).completeBaseName(), source);
}

} // namespace flashsale::redis
