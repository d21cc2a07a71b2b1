-- Keeps a webhook call for a started run's next wait on its event. KEYS: run. ARGV: event, call.
-- Returns 1, or 0 when the run is not started or already keeps a call of that event.
if redis.call('HGET', KEYS[1], 'st') ~= 'RUN_STARTED' then return 0 end
return redis.call('HSETNX', KEYS[1], 'h:' .. ARGV[1], ARGV[2])
