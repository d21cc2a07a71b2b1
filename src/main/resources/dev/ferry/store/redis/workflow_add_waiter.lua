-- Registers a waiter of a started run. KEYS: run, waiters. ARGV: waiter field, record.
-- Returns 1, or 0 when the run is unknown or has ended.
if redis.call('HGET', KEYS[1], 'st') ~= 'RUN_STARTED' then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[1], 'w:' .. ARGV[1], '')
return 1
