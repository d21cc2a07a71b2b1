-- Creates a workflow run with its first step unless the tenant has a run with that id.
-- KEYS: run, steps. ARGV: run record, first step. Returns 1 when created, 0 when it existed.
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'r', ARGV[1], 'st', 'RUN_STARTED')
redis.call('DEL', KEYS[2])
redis.call('RPUSH', KEYS[2], ARGV[2])
return 1
