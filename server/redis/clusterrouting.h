#pragma once

#include "redisreply.h"
#include "redisurl.h"
#include "result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <optional>

namespace flashsale::redis {

/// Number of hash slots in a Redis Cluster.
inline constexpr int clusterSlotCount = 16384;

/// CRC16-CCITT (XModem), the checksum Redis Cluster hashes keys with.
quint16 crc16(QByteArrayView data);

/// The hash slot of \a key: CRC16 of the hash tag (the part between the first '{' and the
/// next '}', when not empty) or of the whole key, modulo 16384.
int keySlot(QByteArrayView key);

/// The key a command is routed by: the first key of EVAL/EVALSHA/FCALL, nothing for
/// commands without keys (PING, SCRIPT, CLUSTER, INFO, ...), else the first argument.
std::optional<QByteArray> routingKey(const QList<QByteArray> &args);

/// One range of slots and the master that serves it.
struct SlotRange
{
    int first = 0; ///< first slot, inclusive
    int last = 0; ///< last slot, inclusive
    RedisEndpoint master; ///< the node that owns the range
};

/// Reads a CLUSTER SLOTS reply; \a queried is the node that answered (a master may be
/// announced with an empty address, meaning that node's own host).
Result<QList<SlotRange>> parseClusterSlots(const RedisReply &reply, const RedisEndpoint &queried);

/// A MOVED or ASK error reply, read.
struct Redirection
{
    enum class Kind { Moved, Ask };
    Kind kind = Kind::Moved; ///< MOVED: the slot moved for good; ASK: ask once, there
    int slot = 0; ///< the slot in question
    RedisEndpoint target; ///< where to go
};

/// Reads "MOVED 3999 127.0.0.1:6381" or "ASK ..."; nothing for any other reply.
std::optional<Redirection> parseRedirection(const RedisReply &reply);

} // namespace flashsale::redis
