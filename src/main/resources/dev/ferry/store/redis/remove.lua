-- Removes pending messages (delivered or cancelled) with their due row or queue position; a
-- message no longer pending is left alone. Each removed message counts out of its tenant's
-- pending count. KEYS: messages, due, ids, lease, pending counts, then the queue keys used.
-- ARGV: 'records' or 'count', n, fencing value ('' = unfenced: a cancel), then per message:
-- id, queue key index (0 = unqueued), tenant.
-- Returns the removed records ('' where not pending), or how many were removed; an error starting
-- with FENCED when the partition's lease no longer holds the fencing value.
if ARGV[3] ~= '' and redis.call('GET', KEYS[4]) ~= ARGV[3] then
  return redis.error_reply('FENCED the partition passed to another replica')
end
local out, removed, gone = {}, 0, {}
local a = 4
for i = 1, tonumber(ARGV[2]) do
  local id, q = ARGV[a], tonumber(ARGV[a + 1])
  local record = redis.call('HGET', KEYS[1], id)
  if record then
    redis.call('HDEL', KEYS[1], id)
    redis.call('ZREM', KEYS[3], id)
    if q == 0 then
      -- the due row at the STORED dueAt: bytes 2..9 of the record, sign bit flipped to sort
      local due = string.char(bit.bxor(string.byte(record, 2), 128)) .. string.sub(record, 3, 9)
      redis.call('ZREM', KEYS[2], due .. id)
    else
      redis.call('ZREM', KEYS[q], id)
    end
    removed = removed + 1
    gone[ARGV[a + 2]] = (gone[ARGV[a + 2]] or 0) + 1
    out[i] = record
  else
    out[i] = ''
  end
  a = a + 3
end
for tenant, n in pairs(gone) do redis.call('HINCRBY', KEYS[5], tenant, -n) end
if ARGV[1] == 'count' then return removed end
return out
