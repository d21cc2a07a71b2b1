-- Records one cron tick if the schedule still has the expected revision: the schedule's new record,
-- the tick's messages of this partition (stored as append.lua stores them), and the records of
-- its messages for other partitions added to the schedule's outbox entry, which the caller copies
-- to their partitions and then clears. KEYS: messages, due, ids, the tenant's schedules, outbox,
-- pending counts, then the queue keys used. ARGV: schedule id, outbox field, expected revision,
-- record (JSON), outbox records ('' = none), n, then per local message: id, record, due member,
-- queue key index, tenant.
-- Returns {new revision or 0 when refused, the outbox entry after the call ('' = none)}: an entry
-- left by an earlier tick whose copy did not finish is returned even when this tick is refused.
local outbox = redis.call('HGET', KEYS[5], ARGV[2]) or ''
local old = redis.call('HGET', KEYS[4], ARGV[1])
if not old or tonumber(string.match(old, '^%d+')) ~= tonumber(ARGV[3]) then return {0, outbox} end
local revision = tonumber(ARGV[3]) + 1
redis.call('HSET', KEYS[4], ARGV[1], revision .. ' ' .. ARGV[4])
if ARGV[5] ~= '' then
  outbox = outbox .. ARGV[5]
  redis.call('HSET', KEYS[5], ARGV[2], outbox)
end
local a, added = 7, {}
for i = 1, tonumber(ARGV[6]) do
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
for tenant, n in pairs(added) do redis.call('HINCRBY', KEYS[6], tenant, n) end
return {revision, outbox}
