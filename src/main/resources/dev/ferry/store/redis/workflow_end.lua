-- Ends a started run; an invoked run joins the untold set, every ended run the retention index.
-- KEYS: run, steps, untold, ended. ARGV: state, response, endedAt, member (tenant 0 runId),
-- dlqId ('' = none). Returns {run record as created, step count}, or nil when the run is unknown
-- or had ended.
if redis.call('HGET', KEYS[1], 'st') ~= 'RUN_STARTED' then return nil end
redis.call('HSET', KEYS[1], 'st', ARGV[1], 'resp', ARGV[2], 'end', ARGV[3])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'dlq', ARGV[5]) end
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[4])
if redis.call('HGET', KEYS[1], 'inv') == '1' then redis.call('SADD', KEYS[3], ARGV[4]) end
return {redis.call('HGET', KEYS[1], 'r'), redis.call('LLEN', KEYS[2])}
