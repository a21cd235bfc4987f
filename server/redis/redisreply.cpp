#include "redisreply.h"

#include <hiredis/hiredis.h>

namespace flashsale::redis {

RedisReply RedisReply::fromHiredis(const redisReply *reply)
{
    if (!reply)
        return failure(QStringLiteral("no reply"));
    RedisReply result;
    switch (reply->type) {
    case REDIS_REPLY_STRING:
        result.m_type = Type::String;
        result.m_bytes = QByteArray(reply->str, qsizetype(reply->len));
        break;
    case REDIS_REPLY_STATUS:
        result.m_type = Type::Status;
        result.m_bytes = QByteArray(reply->str, qsizetype(reply->len));
        break;
    case REDIS_REPLY_ERROR:
        result.m_type = Type::Error;
        result.m_bytes = QByteArray(reply->str, qsizetype(reply->len));
        break;
    case REDIS_REPLY_INTEGER:
        result.m_type = Type::Integer;
        result.m_integer = reply->integer;
        break;
    case REDIS_REPLY_ARRAY:
        result.m_type = Type::Array;
        result.m_elements.reserve(qsizetype(reply->elements));
        for (size_t i = 0; i < reply->elements; ++i)
            result.m_elements.append(fromHiredis(reply->element[i]));
        break;
    case REDIS_REPLY_NIL:
    default:
        break;
    }
    return result;
}

RedisReply RedisReply::failure(QString reason)
{
    RedisReply result;
    result.m_type = Type::Failure;
    result.m_bytes = reason.toUtf8();
    return result;
}

RedisReply RedisReply::error(QByteArray message)
{
    RedisReply result;
    result.m_type = Type::Error;
    result.m_bytes = std::move(message);
    return result;
}

RedisReply RedisReply::integer(qint64 value)
{
    RedisReply result;
    result.m_type = Type::Integer;
    result.m_integer = value;
    return result;
}

RedisReply RedisReply::string(QByteArray value)
{
    RedisReply result;
    result.m_type = Type::String;
    result.m_bytes = std::move(value);
    return result;
}

RedisReply RedisReply::array(QList<RedisReply> elements)
{
    RedisReply result;
    result.m_type = Type::Array;
    result.m_elements = std::move(elements);
    return result;
}

qint64 RedisReply::toInteger(bool *ok) const
{
    if (m_type == Type::Integer) {
        if (ok)
            *ok = true;
        return m_integer;
    }
    if (m_type == Type::String)
        return m_bytes.toLongLong(ok);
    if (ok)
        *ok = false;
    return 0;
}

QString RedisReply::errorMessage() const
{
    return isError() ? QString::fromUtf8(m_bytes) : QString();
}

bool RedisReply::isErrorCode(QByteArrayView code) const
{
    return m_type == Type::Error && m_bytes.startsWith(code)
        && (m_bytes.size() == code.size() || m_bytes.at(code.size()) == ' ');
}

QString RedisReply::toString() const
{
    switch (m_type) {
    case Type::Nil:
        return QStringLiteral("(nil)");
    case Type::Status:
        return QString::fromUtf8(m_bytes);
    case Type::Error:
        return QStringLiteral("(error) ") + QString::fromUtf8(m_bytes);
    case Type::Failure:
        return QStringLiteral("(failure) ") + QString::fromUtf8(m_bytes);
    case Type::Integer:
        return QStringLiteral("(integer) %1").arg(m_integer);
    case Type::String:
        return u'"' + QString::fromUtf8(m_bytes) + u'"';
    case Type::Array: {
        QStringList parts;
        for (const RedisReply &element : m_elements)
            parts.append(element.toString());
        return u'[' + parts.join(QStringLiteral(", ")) + u']';
    }
    }
    return QString();
}

} // namespace flashsale::redis
