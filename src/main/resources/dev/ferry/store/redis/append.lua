-- Stores messages of one partition. KEYS: messages, due, ids, then the queue keys used.
-- ARGV: n, then per message: id, record, due member, index of its queue key (0 = unqueued).
local a = 2
for i = 1, tonumber(ARGV[1]) do
  local id, q = ARGV[a], tonumber(ARGV[a + 3])
  redis.call('HSET', KEYS[1], id, ARGV[a + 1])
  redis.call('ZADD', KEYS[3], 0, id)
  if q == 0 then
    redis.call('ZADD', KEYS[2], 0, ARGV[a + 2])
  else
    redis.call('ZADD', KEYS[q], 0, id)
  end
  a = a + 4
end
return 1
