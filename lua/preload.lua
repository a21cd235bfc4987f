-- preload: loads or tops up a sale's stock.
-- KEYS: 1 stock, 2 total, 3 soldout
-- ARGV: 1 mode ("load" or "topup"), 2 units (load >= 0, topup > 0), 3 goodsId, 4 event channel
-- Returns {code, stock}: 1 loaded, 2 already live (a load replaces stock only while none of
-- it is handed out, stock = total: a unit reserved or sold must never be loaded again), 3
-- topped up, 4 no such sale (top-up before any load).
local units = tonumber(ARGV[2])
if not units or units < 0 or units ~= math.floor(units) then
    return redis.error_reply('ERR preload: units must be a non-negative integer')
end
local current = redis.call('GET', KEYS[1])
if ARGV[1] == 'load' then
    if current and current ~= redis.call('GET', KEYS[2]) then
        return {2, tonumber(current)}
    end
    redis.call('SET', KEYS[1], units)
    redis.call('SET', KEYS[2], units)
    if units == 0 then
        redis.call('SET', KEYS[3], '1')
    else
        redis.call('DEL', KEYS[3])
    end
    return {1, units}
end
if ARGV[1] ~= 'topup' or units == 0 then
    return redis.error_reply('ERR preload: mode must be load, or topup with units > 0')
end
if not current then
    return {4, 0}
end
local left = redis.call('INCRBY', KEYS[1], units)
redis.call('INCRBY', KEYS[2], units)
if redis.call('DEL', KEYS[3]) == 1 then
    redis.call('PUBLISH', ARGV[4],
               '{"type":"restocked","goodsId":' .. ARGV[3] .. ',"stock":' .. left .. '}')
end
return {3, left}
