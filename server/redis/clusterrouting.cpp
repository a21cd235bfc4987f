#include "clusterrouting.h"

#include <array>

namespace flashsale::redis {

namespace {

// The table of the Redis Cluster specification (polynomial 0x1021, initial value 0).
constexpr std::array<quint16, 256> makeCrcTable()
{
    std::array<quint16, 256> table {};
    for (int i = 0; i < 256; ++i) {
        quint16 crc = quint16(i << 8);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 0x8000) ? quint16((crc << 1) ^ 0x1021) : quint16(crc << 1);
        table[size_t(i)] = crc;
    }
    return table;
}

constexpr std::array<quint16, 256> crcTable = makeCrcTable();

bool isKeylessCommand(const QByteArray &upper)
{
    static const QList<QByteArray> keyless = {
        "PING",     "ECHO",     "INFO",    "TIME",   "CLUSTER",  "SCRIPT",    "CONFIG",
        "DBSIZE",   "FLUSHALL", "FLUSHDB", "CLIENT", "COMMAND",  "DEBUG",     "MEMORY",
        "SLOWLOG",  "LASTSAVE", "ROLE",    "ASKING", "READONLY", "READWRITE", "WAIT",
        "FUNCTION", "AUTH",     "HELLO",   "SELECT"};
    return keyless.contains(upper);
}

} // namespace

quint16 crc16(QByteArrayView data)
{
    quint16 crc = 0;
    for (char c : data)
        crc = quint16((crc << 8) ^ crcTable[((crc >> 8) ^ quint8(c)) & 0xff]);
    return crc;
}

int keySlot(QByteArrayView key)
{
    const qsizetype open = key.indexOf('{');
    if (open >= 0) {
        const qsizetype close = key.sliced(open + 1).indexOf('}');
        if (close > 0)
            return crc16(key.sliced(open + 1, close)) & (clusterSlotCount - 1);
    }
    return crc16(key) & (clusterSlotCount - 1);
}

std::optional<QByteArray> routingKey(const QList<QByteArray> &args)
{
    if (args.size() < 2)
        return std::nullopt;
    const QByteArray command = args.first().toUpper();
    if (command == "EVALSHA" || command == "EVAL" || command == "EVALSHA_RO" || command == "EVAL_RO"
        || command == "FCALL" || command == "FCALL_RO") {
        bool ok = false;
        const int keys = args.at(2 < args.size() ? 2 : 0).toInt(&ok);
        if (ok && keys > 0 && args.size() > 3)
            return args.at(3);
        return std::nullopt;
    }
    if (isKeylessCommand(command))
        return std::nullopt;
    return args.at(1);
}

Result<QList<SlotRange>> parseClusterSlots(const RedisReply &reply, const RedisEndpoint &queried)
{
    using R = Result<QList<SlotRange>>;
    if (reply.type() != RedisReply::Type::Array)
        return R::failure(
            QStringLiteral("CLUSTER SLOTS: expected an array, got %1").arg(reply.toString()));
    QList<SlotRange> ranges;
    for (const RedisReply &entry : reply.elements()) {
        const QList<RedisReply> &fields = entry.elements();
        if (entry.type() != RedisReply::Type::Array || fields.size() < 3
            || fields.at(2).type() != RedisReply::Type::Array || fields.at(2).elements().size() < 2)
            return R::failure(
                QStringLiteral("CLUSTER SLOTS: malformed entry %1").arg(entry.toString()));
        SlotRange range;
        bool firstOk = false, lastOk = false, portOk = false;
        range.first = int(fields.at(0).toInteger(&firstOk));
        range.last = int(fields.at(1).toInteger(&lastOk));
        const QList<RedisReply> &master = fields.at(2).elements();
        range.master.host = QString::fromUtf8(master.at(0).bytes());
        range.master.port = int(master.at(1).toInteger(&portOk));
        if (range.master.host.isEmpty() || range.master.host == u"?")
            range.master.host = queried.host;
        if (!firstOk || !lastOk || !portOk || range.first < 0 || range.last >= clusterSlotCount
            || range.first > range.last || range.master.port <= 0 || range.master.port > 65535)
            return R::failure(QStringLiteral("CLUSTER SLOTS: bad range %1").arg(entry.toString()));
        ranges.append(range);
    }
    return ranges;
}

std::optional<Redirection> parseRedirection(const RedisReply &reply)
{
    if (reply.type() != RedisReply::Type::Error)
        return std::nullopt;
    Redirection redirection;
    if (reply.isErrorCode("MOVED"))
        redirection.kind = Redirection::Kind::Moved;
    else if (reply.isErrorCode("ASK"))
        redirection.kind = Redirection::Kind::Ask;
    else
        return std::nullopt;
    const QList<QByteArray> parts = reply.bytes().split(' ');
    if (parts.size() != 3)
        return std::nullopt;
    bool ok = false;
    redirection.slot = parts.at(1).toInt(&ok);
    if (!ok || redirection.slot < 0 || redirection.slot >= clusterSlotCount)
        return std::nullopt;
    Result<RedisEndpoint> target = RedisEndpoint::parse(QString::fromUtf8(parts.at(2)));
    if (!target)
        return std::nullopt;
    redirection.target = target.value();
    return redirection;
}

} // namespace flashsale::redis
