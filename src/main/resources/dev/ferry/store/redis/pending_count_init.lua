-- Counts a partition's pending messages per tenant, once: for a store written by a Ferry that kept
-- no counts. The marker field (a 0 byte, which no tenant name contains) is written with the counts,
-- so of several replicas starting at once only the first counts, and the others, and every later
-- start, find the marker and do nothing. One atomic pass over the partition (blocking Redis for
-- its length, once). KEYS: messages, ids, pending counts. Returns how many messages it counted,
-- or -1 when the counts existed.
if redis.call('HEXISTS', KEYS[3], '\0') == 1 then return -1 end
-- a record: version byte, 8-byte dueAt, then the id and the tenant, each a varint (length + 1)
-- and its UTF-8 bytes
local function varint(s, at)
  local v, shift = 0, 0
  while true do
    local b = string.byte(s, at)
    v = v + bit.band(b, 127) * 2 ^ shift
    at = at + 1
    if b < 128 then return v, at end
    shift = shift + 7
  end
end
local function tenant_of(record)
  local len, at = varint(record, 10)
  len, at = varint(record, at + len - 1)
  return string.sub(record, at, at + len - 2)
end
local counts, total, from = {}, 0, 0
while true do
  local ids = redis.call('ZRANGE', KEYS[2], from, from + 999)
  if #ids == 0 then break end
  local records = redis.call('HMGET', KEYS[1], unpack(ids))
  for i = 1, #records do
    if records[i] then
      local t = tenant_of(records[i])
      counts[t] = (counts[t] or 0) + 1
      total = total + 1
    end
  end
  from = from + #ids
end
-- writes made before the marker (by this release, starting) are part of what was just counted
redis.call('DEL', KEYS[3])
for t, n in pairs(counts) do redis.call('HSET', KEYS[3], t, n) end
redis.call('HSET', KEYS[3], '\0', '1')
return total
