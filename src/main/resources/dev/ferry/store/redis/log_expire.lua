-- Deletes the oldest rows of one tenant's log recorded before ARGV[1] (ms), at most ARGV[2] rows,
-- with the snapshots of the messages whose final entry they hold. KEYS: stream, snapshots.
-- Returns how many entries the deleted rows held.
local rows = redis.call('XRANGE', KEYS[1], '-', '(' .. ARGV[1] .. '-0', 'COUNT', tonumber(ARGV[2]))
local deleted, last = 0, nil
for _, row in ipairs(rows) do
  last = row[1]
  local count = 1
  for j = 1, #row[2], 2 do
    if row[2][j] == 'n' then
      count = tonumber(row[2][j + 1])
    elseif row[2][j] == 's' then
      redis.call('HDEL', KEYS[2], row[2][j + 1])
    end
  end
  deleted = deleted + count
end
if last then
  -- every row up to and including the last one read: ids below its successor
  local d = string.find(last, '-', 1, true)
  redis.call('XTRIM', KEYS[1], 'MINID', string.sub(last, 1, d) .. (tonumber(string.sub(last, d + 1)) + 1))
end
return deleted
