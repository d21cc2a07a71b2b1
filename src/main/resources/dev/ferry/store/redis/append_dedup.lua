-- Stores the messages of one partition whose dedup key is free, holding each key for its message.
-- Each stored message counts into its tenant's pending count.
-- KEYS: messages, due, ids, dedup, dedup expiry, pending counts, then the queue keys used.
-- ARGV: now, expiresAt, n, then per message: id, record, due member, queue key index (0 = none),
-- tenant, dedup field ('' = unguarded). Returns per message '' (stored) or the id holding its key.
local now, expiresAt = tonumber(ARGV[1]), ARGV[2]
local out, added = {}, {}
local a = 4
for i = 1, tonumber(ARGV[3]) do
  local id, q, tenant, field = ARGV[a], tonumber(ARGV[a + 3]), ARGV[a + 4], ARGV[a + 5]
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
    if redis.call('HSET', KEYS[1], id, ARGV[a + 1]) == 1 then
      added[tenant] = (added[tenant] or 0) + 1
    end
    redis.call('ZADD', KEYS[3], 0, id)
    if q == 0 then
      redis.call('ZADD', KEYS[2], 0, ARGV[a + 2])
    else
      redis.call('ZADD', KEYS[q], 0, id)
    end
  end
  out[i] = original
  a = a + 6
end
for t, n in pairs(added) do redis.call('HINCRBY', KEYS[6], t, n) end
return out
