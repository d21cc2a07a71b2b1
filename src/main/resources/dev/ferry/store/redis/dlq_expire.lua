-- Drops up to ARGV[2] DLQ entries whose id time is before ARGV[1]. KEYS: dlq, dlq expiry.
-- Returns their fields (tenant 0 dlqId), so the caller can drop them from the tenants' indexes.
local fields = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[1], 'LIMIT', 0,
  tonumber(ARGV[2]))
for _, f in ipairs(fields) do
  redis.call('HDEL', KEYS[1], f)
  redis.call('ZREM', KEYS[2], f)
end
return fields
