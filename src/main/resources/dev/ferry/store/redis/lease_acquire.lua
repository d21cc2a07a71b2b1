-- Takes a partition's lease when it is free. Its value is '<replica id>:<token>', the token from a
-- counter that only grows, so no value is ever handed out twice (the fencing value).
-- KEYS: lease, fencing counter. ARGV: replica id, ttl ms. Returns the value the lease holds now.
local held = redis.call('GET', KEYS[1])
if held then return held end
local value = ARGV[1] .. ':' .. redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], value, 'PX', ARGV[2])
return value
