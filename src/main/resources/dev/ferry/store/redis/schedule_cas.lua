-- Replaces one schedule only if it still has the expected revision. KEYS: the tenant's schedules
-- in the partition. ARGV: schedule id, expected revision, record (JSON).
-- Returns the new revision, or 0 when the schedule is gone or has another revision.
local old = redis.call('HGET', KEYS[1], ARGV[1])
if not old or tonumber(string.match(old, '^%d+')) ~= tonumber(ARGV[2]) then return 0 end
local revision = tonumber(ARGV[2]) + 1
redis.call('HSET', KEYS[1], ARGV[1], revision .. ' ' .. ARGV[3])
return revision
