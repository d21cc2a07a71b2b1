-- Appends a step to a started run. KEYS: run, steps. ARGV: step.
-- Returns 1, or 0 when the run is unknown or has ended.
if redis.call('HGET', KEYS[1], 'st') ~= 'RUN_STARTED' then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[1])
return 1
