-- Drops one DLQ entry. KEYS: dlq, dlq expiry. ARGV: field. Returns 1 when it was there.
local n = redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return n
