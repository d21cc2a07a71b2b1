-- Records a step of a workflow run with the step's messages of this partition, and adds the
-- records of its messages for other partitions to the run's outbox entry (the caller copies them
-- to their partitions, then clears the entry). KEYS: run, steps, outbox, messages, due, ids,
-- waiters, pending counts, then the queue keys used. ARGV: mode, step, outbox field, outbox
-- records ('' = none), a, b, n, then per local message: id, record, due member, queue key index,
-- tenant. Modes:
--   create: a = the run's record, b = '1' when it has an invoker; refused when the run exists.
--   append: refused unless the run is started.
--   waiter: a = the waiter's field, b = the event of a kept webhook call to take ('' = none);
--     refused when the waiter (or the call) is gone, else the waiter (and call) are removed, and
--     the step is refused unless the run is started.
--   tell: a = the told mark of the invoked run; refused when the run is gone or the mark is set,
--     else the mark is set, and the step is refused unless the run is started.
-- Returns {1 when the step was recorded else 0, the outbox entry after the call ('' = none),
-- 1 when a waiter was removed}: an entry an earlier write left uncopied is returned also when
-- this step is refused.
local outbox = redis.call('HGET', KEYS[3], ARGV[3]) or ''
local mode, removed = ARGV[1], 0
if mode == 'create' then
  if redis.call('EXISTS', KEYS[1]) == 1 then return {0, outbox, 0} end
  redis.call('HSET', KEYS[1], 'r', ARGV[5], 'st', 'RUN_STARTED')
  if ARGV[6] == '1' then redis.call('HSET', KEYS[1], 'inv', '1') end
  redis.call('DEL', KEYS[2])
elseif mode == 'waiter' then
  if redis.call('HEXISTS', KEYS[7], ARGV[5]) == 0 then return {0, outbox, 0} end
  if ARGV[6] ~= '' and redis.call('HDEL', KEYS[1], 'h:' .. ARGV[6]) == 0 then
    return {0, outbox, 0}
  end
  redis.call('HDEL', KEYS[7], ARGV[5])
  redis.call('HDEL', KEYS[1], 'w:' .. ARGV[5])
  removed = 1
elseif mode == 'tell' then
  if redis.call('EXISTS', KEYS[1]) == 0 then return {0, outbox, 0} end
  if redis.call('HSETNX', KEYS[1], ARGV[5], '1') == 0 then return {0, outbox, 0} end
end
if redis.call('HGET', KEYS[1], 'st') ~= 'RUN_STARTED' then return {0, outbox, removed} end
for step in string.gmatch(ARGV[2], '[^\n]+') do redis.call('RPUSH', KEYS[2], step) end
local a, added = 8, {}
for i = 1, tonumber(ARGV[7]) do
  local id, q = ARGV[a], tonumber(ARGV[a + 3])
  if redis.call('HSET', KEYS[4], id, ARGV[a + 1]) == 1 then
    added[ARGV[a + 4]] = (added[ARGV[a + 4]] or 0) + 1
  end
  redis.call('ZADD', KEYS[6], 0, id)
  if q == 0 then
    redis.call('ZADD', KEYS[5], 0, ARGV[a + 2])
  else
    redis.call('ZADD', KEYS[q], 0, id)
  end
  a = a + 5
end
for tenant, n in pairs(added) do redis.call('HINCRBY', KEYS[8], tenant, n) end
if ARGV[4] ~= '' then
  outbox = outbox .. ARGV[4]
  redis.call('HSET', KEYS[3], ARGV[3], outbox)
end
return {1, outbox, removed}
