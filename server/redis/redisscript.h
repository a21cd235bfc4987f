#pragma once

#include "result.h"

#include <QByteArray>
#include <QString>

namespace flashsale::redis {

/// A Lua script and its SHA1, run with Redis::evalScript (EVALSHA, loaded on NOSCRIPT).
class RedisScript
{
public:
    RedisScript() = default;
    /// \a name is for messages; the SHA1 is computed from \a source.
    RedisScript(QString name, QByteArray source);

    /// Reads a script from a file or Qt resource (":/lua/reserve.lua").
    static Result<RedisScript> fromFile(const QString &path);

    const QString &name() const { return m_name; }
    const QByteArray &source() const { return m_source; }
    /// Lower-case hex SHA1 of the source, as EVALSHA wants it.
    const QByteArray &sha1() const { return m_sha1; }
    bool isNull() const { return m_source.isEmpty(); }

private:
    QString m_name;
    QByteArray m_source;
    QByteArray m_sha1;
};

} // namespace flashsale::redis
