-- Stores messages of one partition, counting each new one into its tenant's pending count.
-- KEYS: messages, due, ids, pending counts, then the queue keys used.
-- ARGV: n, then per message: id, record, due member, index of its queue key (0 = unqueued),
-- tenant. A message already pending (an outbox copied again) is stored again but not counted.
local added = {}
local a = 2
for i = 1, tonumber(ARGV[1]) do
  local id, q = ARGV[a], tonumber(ARGV[a + 3])
  if redis.call('HSET', KEYS[1], id, ARGV[a + 1]) == 1 then
    added[ARGV[a + 4]] = (added[ARGV[a + 4]] or 0) + 1
  end
  redis.call('ZADD', KEYS[3], 0, id)
  if q == 0 then
    redis.call('ZADD', KEYS[2], 0, ARGV[a + 2])
  else
    redis.call('ZADD', KEYS[q], 0, id)
  end
  a = a + 5
end
for tenant, n in pairs(added) do redis.call('HINCRBY', KEYS[4], tenant, n) end
return 1
