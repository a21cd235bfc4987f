-- brake: a sliding-window count of attempts behind one name, with a hold-off that doubles
-- with each attempt past the threshold. One name's keys share a hash tag (one slot).
-- KEYS: 1 attempt times (zset), 2 state (hash: until = held off until, ms; seq = counter)
-- ARGV: 1 op: "check" | "hit" | "reset", 2 window ms, 3 threshold, 4 first hold-off ms,
--       5 longest hold-off ms
-- Returns {ms of hold-off left (0: free), attempts in the window}. "check" only reads;
-- "hit" counts one attempt and, at or past the threshold, holds off for
-- first * 2^(attempts - threshold), at most longest; "reset" forgets the name.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if ARGV[1] == 'reset' then
    redis.call('DEL', KEYS[1], KEYS[2])
    return {0, 0}
end
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local held = tonumber(redis.call('HGET', KEYS[2], 'until') or '0')
if ARGV[1] == 'check' then
    return {math.max(0, held - now), redis.call('ZCARD', KEYS[1])}
end
local seq = redis.call('HINCRBY', KEYS[2], 'seq', 1)
redis.call('ZADD', KEYS[1], now, seq)
local attempts = redis.call('ZCARD', KEYS[1])
local threshold = tonumber(ARGV[3])
local left = math.max(0, held - now)
if attempts >= threshold then
    local hold = tonumber(ARGV[4]) * math.pow(2, math.min(attempts - threshold, 30))
    hold = math.min(hold, tonumber(ARGV[5]))
    left = math.max(left, hold)
    redis.call('HSET', KEYS[2], 'until', string.format('%d', now + left))
end
redis.call('PEXPIRE', KEYS[1], window)
redis.call('PEXPIRE', KEYS[2], math.max(window, left))
return {left, attempts}
