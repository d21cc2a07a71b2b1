-- Ends a started run. KEYS: run, steps. ARGV: state, response, endedAt.
-- Returns {run record, step count} as it was, or nil when the run is unknown or had ended.
if redis.call('HGET', KEYS[1], 'st') ~= 'RUN_STARTED' then return nil end
redis.call('HSET', KEYS[1], 'st', ARGV[1], 'resp', ARGV[2], 'end', ARGV[3])
return {redis.call('HGET', KEYS[1], 'r'), redis.call('LLEN', KEYS[2])}
