-- Moves a pending message into the DLQ: it leaves the pending set and the entry is stored, or
-- nothing happens when it is no longer pending; a move counts the message out of its tenant's
-- pending count. KEYS: messages, due, ids, dlq, dlq expiry, queue, lease, pending counts,
-- optionally the workflow failures hash. ARGV: id, '1' when queued, dlq field, entry, expiry score
-- ('' = the id carries no time), fencing value, tenant, then with the failures hash the field and
-- value recording that the message's workflow run is to fail (see RedisWorkflowRunStore).
-- An error starting with FENCED when the lease no longer holds the fencing value.
if ARGV[6] ~= '' and redis.call('GET', KEYS[7]) ~= ARGV[6] then
  return redis.error_reply('FENCED the partition passed to another replica')
end
local record = redis.call('HGET', KEYS[1], ARGV[1])
if not record then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
if ARGV[2] == '1' then
  redis.call('ZREM', KEYS[6], ARGV[1])
else
  local due = string.char(bit.bxor(string.byte(record, 2), 128)) .. string.sub(record, 3, 9)
  redis.call('ZREM', KEYS[2], due .. ARGV[1])
end
redis.call('HINCRBY', KEYS[8], ARGV[7], -1)
redis.call('HSET', KEYS[4], ARGV[3], ARGV[4])
if ARGV[5] ~= '' then redis.call('ZADD', KEYS[5], ARGV[5], ARGV[3]) end
if KEYS[9] then redis.call('HSET', KEYS[9], ARGV[8], ARGV[9]) end
return 1
