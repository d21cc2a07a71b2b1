-- Stores the messages of one partition whose dedup key is free, holding each key for its message.
-- KEYS: messages, due, ids, dedup, dedup expiry, then the queue keys used.
-- ARGV: now, expiresAt, n, then per message: id, record, due member, queue key index (0 = none),
-- dedup field ('' = unguarded). Returns per message '' (stored) or the id holding its key.
local now, expiresAt = tonumber(ARGV[1]), ARGV[2]
local out = {}
local a = 4
for i = 1, tonumber(ARGV[3]) do
  local id, q, field = ARGV[a], tonumber(ARGV[a + 3]), ARGV[a + 4]
  local original = ''
  if field ~= '' then
    local held = redis.call('HGET', KEYS[4], field)
    if held then
      local space = string.find(held, ' ', 1, true)
      if tonumber(string.sub(held, 1, space - 1)) > now then
        original = string.sub(held, space + 1)
      end
    end
  end
  if original == '' then
    if field ~= '' then
      redis.call('HSET', KEYS[4], field, expiresAt .. ' ' .. id)
      redis.call('ZADD', KEYS[5], expiresAt, field .. '\0' .. expiresAt)
    end
    redis.call('HSET', KEYS[1], id, ARGV[a + 1])
    redis.call('ZADD', KEYS[3], 0, id)
    if q == 0 then
      redis.call('ZADD', KEYS[2], 0, ARGV[a + 2])
    else
      redis.call('ZADD', KEYS[q], 0, id)
    end
  end
  out[i] = original
  a = a + 5
end
return out
