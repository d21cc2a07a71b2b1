-- Replaces a pending message after a failed attempt and moves its due row (from the STORED dueAt);
-- does nothing when it is no longer pending. KEYS: messages, due, lease.
-- ARGV: id, new record, new due member ('' = queued: it keeps its queue position), fencing value.
-- An error starting with FENCED when the partition's lease no longer holds the fencing value.
if ARGV[4] ~= '' and redis.call('GET', KEYS[3]) ~= ARGV[4] then
  return redis.error_reply('FENCED the partition passed to another replica')
end
local old = redis.call('HGET', KEYS[1], ARGV[1])
if not old then return 0 end
if ARGV[3] ~= '' then
  local due = string.char(bit.bxor(string.byte(old, 2), 128)) .. string.sub(old, 3, 9)
  redis.call('ZREM', KEYS[2], due .. ARGV[1])
  redis.call('ZADD', KEYS[2], 0, ARGV[3])
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
