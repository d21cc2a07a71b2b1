-- Records how a run's failure callback went. KEYS: run. ARGV: the state it must be in ('' = any,
-- none included), the new state, the new record. Returns 1 when set, 0 when the run is unknown or
-- its failure callback is in another state.
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[1] ~= '' and (redis.call('HGET', KEYS[1], 'fcs') or '') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'fcs', ARGV[2], 'fcb', ARGV[3])
return 1
