-- pending: the reservations of one product still waiting for their order, oldest first,
-- reserved at or before a cutoff (for the reconciler).
-- KEYS: 1 pending, 2 results
-- ARGV: 1 cutoff (ms since the epoch, server clock), 2 at most this many
-- Returns a flat array: userId, reservedAtMs, result value ("q:<seq>:<ms>"), ...
local users = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES',
                         'LIMIT', 0, ARGV[2])
local out = {}
for i = 1, #users, 2 do
    out[#out + 1] = users[i]
    out[#out + 1] = users[i + 1]
    out[#out + 1] = redis.call('HGET', KEYS[2], users[i]) or ''
end
return out
