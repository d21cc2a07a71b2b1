-- Appends rows to one tenant's message log. KEYS: stream, snapshots, next position.
-- ARGV: now (ms), n, then per row: entry count, row (LogCodec), snapshot message id ('' = none),
-- snapshot record. A row's stream id <ms>-<seq> is the position of its first entry (ms << 16 | seq);
-- a row of k entries takes k positions, so seq stays below 65536 and ms never goes below the
-- last row's (positions only grow, also when clocks of several processes disagree).
local function split(id)
  local d = string.find(id, '-', 1, true)
  return tonumber(string.sub(id, 1, d - 1)), tonumber(string.sub(id, d + 1))
end
local now = tonumber(ARGV[1])
local ms, seq = now, 0
local nxt = redis.call('GET', KEYS[3])
if not nxt then
  -- the next-position key is gone but rows may remain: continue after the last one
  local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1]
  if last then
    local lms, lseq = split(last[1])
    local count = 1
    for j = 1, #last[2], 2 do
      if last[2][j] == 'n' then count = tonumber(last[2][j + 1]) end
    end
    nxt = string.format('%.0f', lms) .. '-' .. (lseq + count)
  end
end
if nxt then
  local nms, nseq = split(nxt)
  if nms >= now then ms, seq = nms, nseq end
end
local a = 3
for i = 1, tonumber(ARGV[2]) do
  local count = tonumber(ARGV[a])
  if seq + count > 65536 then ms, seq = ms + 1, 0 end
  local id = string.format('%.0f', ms) .. '-' .. seq
  if count > 1 then
    redis.call('XADD', KEYS[1], id, 'v', ARGV[a + 1], 'n', count)
  elseif ARGV[a + 2] ~= '' then
    redis.call('XADD', KEYS[1], id, 'v', ARGV[a + 1], 's', ARGV[a + 2])
    redis.call('HSET', KEYS[2], ARGV[a + 2], ARGV[a + 3])
  else
    redis.call('XADD', KEYS[1], id, 'v', ARGV[a + 1])
  end
  seq = seq + count
  a = a + 4
end
redis.call('SET', KEYS[3], string.format('%.0f', ms) .. '-' .. seq)
return 1
