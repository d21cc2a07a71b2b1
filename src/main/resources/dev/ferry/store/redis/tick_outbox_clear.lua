-- Clears a schedule's outbox entry once its records are stored in their partitions, unless a
-- newer tick added records meanwhile. KEYS: outbox. ARGV: field, the entry as copied.
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  return redis.call('HDEL', KEYS[1], ARGV[1])
end
return 0
