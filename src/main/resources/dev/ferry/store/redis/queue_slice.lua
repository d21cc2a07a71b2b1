-- Reads a queue in FIFO order. KEYS: messages, queue. ARGV: lex start ('-' or '(' .. id), limit.
-- Returns the records (nil for an id removed meanwhile).
local ids = redis.call('ZRANGEBYLEX', KEYS[2], ARGV[1], '+', 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for i, id in ipairs(ids) do out[i] = redis.call('HGET', KEYS[1], id) end
return out
