-- confirm_many: confirm.lua for many shoppers of one product in one call (the order
-- worker's batches): for each (userId, orderId) pair, records the order as the shopper's
-- result and clears the pending reservation. Idempotent.
-- KEYS: 1 results, 2 pending
-- ARGV: userId1, orderId1, userId2, orderId2, ...
-- Returns one code per pair, as confirm.lua's: 1 confirmed, 2 already confirmed with this
-- order, 3 rolled back before (the caller must compensate), 4 no reservation (result
-- recorded anyway), 5 already confirmed with another order.
local codes = {}
for i = 1, #ARGV, 2 do
    local user = ARGV[i]
    local created = 'c:' .. ARGV[i + 1]
    local current = redis.call('HGET', KEYS[1], user)
    local code
    if not current then
        redis.call('HSET', KEYS[1], user, created)
        redis.call('ZREM', KEYS[2], user)
        code = 4
    else
        local state = string.sub(current, 1, 2)
        if state == 'q:' then
            redis.call('HSET', KEYS[1], user, created)
            redis.call('ZREM', KEYS[2], user)
            code = 1
        elseif state == 'f:' then
            code = 3
        elseif current == created then
            code = 2
        else
            code = 5
        end
    end
    codes[#codes + 1] = code
end
return codes
