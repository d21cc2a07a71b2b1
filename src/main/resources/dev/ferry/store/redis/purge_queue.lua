-- Removes every pending message of one queue and counts them out of the tenant's pending count.
-- KEYS: messages, ids, queue, pending counts. ARGV: tenant. Returns how many.
local ids = redis.call('ZRANGE', KEYS[3], 0, -1)
for _, id in ipairs(ids) do
  redis.call('HDEL', KEYS[1], id)
  redis.call('ZREM', KEYS[2], id)
end
redis.call('DEL', KEYS[3])
if #ids > 0 then redis.call('HINCRBY', KEYS[4], ARGV[1], -#ids) end
return #ids
