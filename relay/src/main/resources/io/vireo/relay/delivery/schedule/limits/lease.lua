-- A destination's connection cap shared by every Vireo node: a sorted set of leases (member: lease
-- id, score: expiry in microseconds on Redis's clock) holds at most the cap; a lease not renewed
-- expires, so the slots of a node that crashed come free. Nodes refused a slot queue up in a second
-- sorted set (score: when they first asked) and slots that come free go to the longest waiting
-- first, so a node holding its connections cannot starve the others. A waiter that stops asking is
-- dropped after ARGV[5] ms (a third set records when each last asked).
--   KEYS[1] leases, KEYS[2] waiters, KEYS[3] waiters' last request
--   ARGV[1] lease id, ARGV[2] cap, ARGV[3] lease TTL in ms,
--   ARGV[4] "acquire", or "renew" (register a held lease even above the cap: it is a real
--           connection, e.g. one opened while Redis was unreachable)
--   ARGV[5] waiter TTL in ms
-- Returns 1 when the lease is held, 0 when refused (and the caller is queued).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local id = ARGV[1]
local ttl = tonumber(ARGV[3])
local waiterTtl = tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now))
local gone = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', string.format('%.0f', now - waiterTtl * 1000))
for _, waiter in ipairs(gone) do
  redis.call('ZREM', KEYS[2], waiter)
  redis.call('ZREM', KEYS[3], waiter)
end
local function hold()
  redis.call('ZADD', KEYS[1], string.format('%.0f', now + ttl * 1000), id)
  redis.call('PEXPIRE', KEYS[1], ttl)
  redis.call('ZREM', KEYS[2], id)
  redis.call('ZREM', KEYS[3], id)
  return 1
end
if ARGV[4] == 'renew' or redis.call('ZSCORE', KEYS[1], id) then
  return hold()
end
local free = tonumber(ARGV[2]) - redis.call('ZCARD', KEYS[1])
if free > 0 then
  local ahead = redis.call('ZRANK', KEYS[2], id) or redis.call('ZCARD', KEYS[2])
  if ahead < free then
    return hold()
  end
end
redis.call('ZADD', KEYS[2], 'NX', string.format('%.0f', now), id)
redis.call('ZADD', KEYS[3], string.format('%.0f', now), id)
redis.call('PEXPIRE', KEYS[2], waiterTtl)
redis.call('PEXPIRE', KEYS[3], waiterTtl)
return 0
