-- Drops up to ARGV[2] dedup index rows that expired by ARGV[1], with their records unless a newer
-- append re-used the key. KEYS: dedup, dedup expiry. Returns how many rows it processed.
local rows = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, row in ipairs(rows) do
  local cut = #row
  while string.byte(row, cut) ~= 0 do cut = cut - 1 end
  local field, expiresAt = string.sub(row, 1, cut - 1), string.sub(row, cut + 1)
  local held = redis.call('HGET', KEYS[1], field)
  if held and string.sub(held, 1, #expiresAt + 1) == expiresAt .. ' ' then
    redis.call('HDEL', KEYS[1], field)
  end
  redis.call('ZREM', KEYS[2], row)
end
return #rows
