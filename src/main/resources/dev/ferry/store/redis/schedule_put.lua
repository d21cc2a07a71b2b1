-- Creates or replaces one schedule with the next revision. KEYS: the tenant's schedules in the
-- partition. ARGV: schedule id, record (JSON). Stored as "<revision> <record>"; returns the revision.
local old = redis.call('HGET', KEYS[1], ARGV[1])
local revision = 1
if old then revision = tonumber(string.match(old, '^%d+')) + 1 end
redis.call('HSET', KEYS[1], ARGV[1], revision .. ' ' .. ARGV[2])
return revision
