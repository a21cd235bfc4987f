-- inventory: one consistent snapshot of a sale's counters.
-- KEYS: 1 stock, 2 total, 3 seq, 4 pending, 5 soldout
-- Returns {exists (0/1), stock, total, last sequence, pending count, sold out (0/1)}.
local stock = redis.call('GET', KEYS[1])
return {stock and 1 or 0, tonumber(stock or '0'), tonumber(redis.call('GET', KEYS[2]) or '0'),
        tonumber(redis.call('GET', KEYS[3]) or '0'), redis.call('ZCARD', KEYS[4]),
        redis.call('EXISTS', KEYS[5])}
