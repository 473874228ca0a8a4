-- The next free send slot of one destination, shared by every Vireo node: each message reserves the
-- slot after the last one reserved, so slots are spaced by the rate's interval across the fleet (no
-- burst allowance, as in the local RateLimiter). Times come from Redis's own clock (TIME), so the
-- nodes' clocks need not agree.
--   KEYS[1]  the destination's slot key (the next free slot, microseconds since the epoch)
--   ARGV[1]  the interval between messages, microseconds
--   ARGV[2]  "1": reserve only if a slot is free now
-- Returns the wait before the reserved slot in microseconds, or -1 when ARGV[2] is "1" and no slot
-- is free now (nothing reserved). The key expires one second after its slot has passed.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local slot = tonumber(redis.call('GET', KEYS[1]) or '0')
if slot < now then
  slot = now
end
if ARGV[2] == '1' and slot > now then
  return -1
end
local after = slot + interval
redis.call('SET', KEYS[1], string.format('%.0f', after), 'PX', math.floor((after - now) / 1000) + 1000)
return slot - now
