#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

struct redisReply;

namespace flashsale::redis {

/// One reply from Redis, or why there is none (a failure on this side: not connected,
/// timed out, connection lost, client destroyed). A value type, safe to keep.
class RedisReply
{
public:
    enum class Type {
        Nil, ///< no value (missing key)
        Status, ///< simple string such as OK
        Error, ///< an error reply from the server (MOVED, NOSCRIPT, ERR ...)
        Integer, ///< integer reply
        String, ///< bulk string
        Array, ///< multi-bulk
        Failure, ///< no reply at all: the reason is in errorMessage()
    };

    /// A Nil reply.
    RedisReply() = default;

    /// Copies a hiredis reply (\a reply may be null: then a Failure saying so).
    static RedisReply fromHiredis(const redisReply *reply);
    /// A failure on the client side: no reply came, \a reason says why.
    static RedisReply failure(QString reason);
    /// An error reply as the server would send it (for tests of the reply readers).
    static RedisReply error(QByteArray message);
    static RedisReply integer(qint64 value);
    static RedisReply string(QByteArray value);
    static RedisReply array(QList<RedisReply> elements);

    Type type() const { return m_type; }
    bool isNil() const { return m_type == Type::Nil; }
    /// A server error or a client-side failure.
    bool isError() const { return m_type == Type::Error || m_type == Type::Failure; }
    /// No reply came (as opposed to an error the server answered).
    bool isFailure() const { return m_type == Type::Failure; }

    /// The integer (Integer; String holding a number; else 0).
    qint64 toInteger(bool *ok = nullptr) const;
    /// The bytes of a String, Status or Error reply.
    const QByteArray &bytes() const { return m_bytes; }
    /// The elements of an Array.
    const QList<RedisReply> &elements() const { return m_elements; }
    /// For errors and failures: the message; empty otherwise.
    QString errorMessage() const;
    /// True when this is a server error reply whose code (first word) is \a code.
    bool isErrorCode(QByteArrayView code) const;

    /// A short readable form, for logs and test failures.
    QString toString() const;

private:
    Type m_type = Type::Nil;
    qint64 m_integer = 0;
    QByteArray m_bytes;
    QList<RedisReply> m_elements;
};

} // namespace flashsale::redis
