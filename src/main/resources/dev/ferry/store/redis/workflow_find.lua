-- Reads a run. KEYS: run, steps.
-- Returns {record, state, response, endedAt, step count, dlqId ('' = none), failure callback's
-- record ('' = none)}, or nil.
local r = redis.call('HMGET', KEYS[1], 'r', 'st', 'resp', 'end', 'dlq', 'fcb')
if not r[1] then return nil end
return {r[1], r[2], r[3] or '', r[4] or '0', redis.call('LLEN', KEYS[2]), r[5] or '', r[6] or ''}
