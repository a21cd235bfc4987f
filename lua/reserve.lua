-- reserve: one shopper's attempt at one unit of one product, in one atomic step.
-- KEYS: 1 stock, 2 seq, 3 results, 4 pending, 5 window (this user), 6 soldout,
--       7 address window (this client address)
-- ARGV: 1 userId, 2 request window in ms, 3 goodsId, 4 event channel,
--       5 address window in ms (0: none)
-- Returns {code, sequence, reservedAtMs}; code 1 reserved, 2 sold out, 3 duplicate,
-- 4 too frequent, 5 no such sale, 6 too frequent from this address. Sequence and time are
-- 0 unless reserved.
local stock = redis.call('GET', KEYS[1])
if not stock then
    return {5, 0, 0}
end
-- The window first: a shopper hammering the button costs one SET, whatever else holds.
if not redis.call('SET', KEYS[5], '1', 'PX', ARGV[2], 'NX') then
    return {4, 0, 0}
end
-- Any result (queued, created, even failed) means this shopper had their one attempt:
-- the orders table allows one order per (user, goods), cancelled ones included.
if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 1 then
    return {3, 0, 0}
end
-- The sale's per-address window, for a bot holding many accounts: spent only by an attempt
-- that could have reserved (a shopper's repeat or duplicate costs its address nothing).
if ARGV[5] ~= '0' and not redis.call('SET', KEYS[7], '1', 'PX', ARGV[5], 'NX') then
    return {6, 0, 0}
end
if tonumber(stock) <= 0 then
    return {2, 0, 0}
end
local left = redis.call('DECR', KEYS[1])
local seq = redis.call('INCR', KEYS[2])
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('HSET', KEYS[3], ARGV[1], 'q:' .. seq .. ':' .. string.format('%d', ms))
redis.call('ZADD', KEYS[4], ms, ARGV[1])
if left == 0 then
    redis.call('SET', KEYS[6], '1')
    redis.call('PUBLISH', ARGV[4], '{"type":"sold_out","goodsId":' .. ARGV[3] .. '}')
end
return {1, seq, ms}
