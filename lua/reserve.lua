-- reserve: shoppers' attempts at one unit each of one product, in one atomic step, in the
-- order given (one shopper, or the several a front thread gathered at once: a batch costs
-- Redis one script call instead of one per shopper).
-- KEYS: 1 stock, 2 seq, 3 results, 4 pending, 5 soldout; then for the i-th shopper (from 1)
--       KEYS[4 + 2i] its request window, KEYS[5 + 2i] its address window
-- ARGV: 1 request window in ms, 2 goodsId, 3 event channel; then for the i-th shopper
--       ARGV[2 + 2i] its userId, ARGV[3 + 2i] the sale's address window in ms (0: none)
-- Returns {code, sequence, reservedAtMs} for each shopper in turn; code 1 reserved, 2 sold
-- out, 3 duplicate, 4 too frequent, 5 no such sale, 6 too frequent from this address.
-- Sequence and time are 0 unless reserved.
local shoppers = (#ARGV - 3) / 2
local out = {}
local stock = redis.call('GET', KEYS[1])
if not stock then
    for i = 1, shoppers do
        out[#out + 1] = 5
        out[#out + 1] = 0
        out[#out + 1] = 0
    end
    return out
end
stock = tonumber(stock)
local now
local soldOut = false
for i = 1, shoppers do
    local user = ARGV[2 + 2 * i]
    local addressWindow = ARGV[3 + 2 * i]
    local code, seq, ms = 1, 0, 0
    -- The window first: a shopper hammering the button costs one SET, whatever else holds.
    if not redis.call('SET', KEYS[4 + 2 * i], '1', 'PX', ARGV[1], 'NX') then
        code = 4
    -- Any result (queued, created, even failed) means this shopper had their one attempt:
    -- the orders table allows one order per (user, goods), cancelled ones included.
    elseif redis.call('HEXISTS', KEYS[3], user) == 1 then
        code = 3
    -- The sale's per-address window, for a bot holding many accounts: spent only by an
    -- attempt that could have reserved (a shopper's repeat or duplicate costs it nothing).
    elseif addressWindow ~= '0'
        and not redis.call('SET', KEYS[5 + 2 * i], '1', 'PX', addressWindow, 'NX') then
        code = 6
    elseif stock <= 0 then
        code = 2
    else
        stock = redis.call('DECR', KEYS[1])
        seq = redis.call('INCR', KEYS[2])
        if not now then
            local t = redis.call('TIME')
            now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end
        ms = now
        redis.call('HSET', KEYS[3], user, 'q:' .. seq .. ':' .. string.format('%d', ms))
        redis.call('ZADD', KEYS[4], ms, user)
        if stock == 0 then
            soldOut = true
        end
    end
    out[#out + 1] = code
    out[#out + 1] = seq
    out[#out + 1] = ms
end
if soldOut then
    redis.call('SET', KEYS[5], '1')
    redis.call('PUBLISH', ARGV[3], '{"type":"sold_out","goodsId":' .. ARGV[2] .. '}')
end
return out
