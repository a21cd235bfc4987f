-- rollback: gives one shopper's unit back (cancel, payment timeout, failed order) and
-- records the failure as their result. Idempotent: the unit comes back once.
-- KEYS: 1 stock, 2 results, 3 pending, 4 soldout
-- ARGV: 1 userId, 2 reason ("failed" or "cancelled"), 3 goodsId, 4 event channel
-- Returns {code, stock}; code 1 returned, 2 already rolled back, 3 no reservation.
local current = redis.call('HGET', KEYS[2], ARGV[1])
if not current then
    return {3, tonumber(redis.call('GET', KEYS[1]) or '0')}
end
if string.sub(current, 1, 2) == 'f:' then
    return {2, tonumber(redis.call('GET', KEYS[1]) or '0')}
end
redis.call('HSET', KEYS[2], ARGV[1], 'f:' .. ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[1])
local left = redis.call('INCR', KEYS[1])
if redis.call('DEL', KEYS[4]) == 1 then
    redis.call('PUBLISH', ARGV[4],
               '{"type":"restocked","goodsId":' .. ARGV[3] .. ',"stock":' .. left .. '}')
end
return {1, left}
