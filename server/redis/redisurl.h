#pragma once

#include "result.h"

#include <QList>
#include <QString>

namespace flashsale::redis {

/// One Redis server address.
struct RedisEndpoint
{
    QString host; ///< name or address (IPv6 without brackets)
    int port = 6379; ///< TCP port

    /// "host:port" ("[v6]:port"), for messages and as a map key.
    QString toString() const;
    bool operator==(const RedisEndpoint &other) const = default;

    /// Parses "host", "host:port" or "[v6]:port"; fails with a message naming the problem.
    static Result<RedisEndpoint> parse(QStringView text);
};

/// Where Redis is: `redis://[[user]:password@]host[:port][/db]` for one server, or
/// `redis-cluster://[[user]:password@]host:port,host:port,...` for the seed nodes of a
/// Redis Cluster (database 0 only, as the cluster has no other).
struct RedisUrl
{
    enum class Kind { Standalone, Cluster };

    Kind kind = Kind::Standalone; ///< one server, or a cluster
    QList<RedisEndpoint> nodes; ///< the server, or the cluster's seed nodes (at least one)
    QString user; ///< ACL user name for AUTH (Redis 6+), empty for the default user
    QString password; ///< empty: no AUTH
    int database = 0; ///< SELECTed after connecting (standalone only)

    /// Parses \a url; fails with a message that names what is wrong.
    static Result<RedisUrl> parse(const QString &url);

    /// The URL without credentials, for logs and messages.
    QString displayName() const;
    /// The whole URL, credentials included (percent-encoded): parse() reads it back the same.
    QString toString() const;

    bool operator==(const RedisUrl &other) const = default;
};

} // namespace flashsale::redis
