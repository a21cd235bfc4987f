-- confirm: after the order is committed in PostgreSQL, records the shopper's result (the
-- order id) and clears the pending reservation, atomically. Idempotent.
-- KEYS: 1 results, 2 pending
-- ARGV: 1 userId, 2 orderId
-- Returns code: 1 confirmed, 2 already confirmed with this order, 3 rolled back before
-- (the caller must compensate), 4 no reservation (result recorded anyway: the order
-- exists), 5 already confirmed with another order.
local current = redis.call('HGET', KEYS[1], ARGV[1])
local created = 'c:' .. ARGV[2]
if not current then
    redis.call('HSET', KEYS[1], ARGV[1], created)
    redis.call('ZREM', KEYS[2], ARGV[1])
    return 4
end
local state = string.sub(current, 1, 2)
if state == 'q:' then
    redis.call('HSET', KEYS[1], ARGV[1], created)
    redis.call('ZREM', KEYS[2], ARGV[1])
    return 1
end
if state == 'f:' then
    return 3
end
if current == created then
    return 2
end
return 5
