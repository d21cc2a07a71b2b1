-- Removes one metadata record. KEYS: the tenant's hash, the set of tenants. ARGV: tenant, name.
-- Returns 1 when it was there.
local n = redis.call('HDEL', KEYS[1], ARGV[2])
if redis.call('HLEN', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], ARGV[1]) end
return n
