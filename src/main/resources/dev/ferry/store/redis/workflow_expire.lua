-- Forgets runs that ended before the cutoff, with their steps, waiters, kept calls and marks.
-- KEYS: ended, waiters, untold, then per candidate: run, steps. ARGV: cutoff, then per candidate
-- its member (tenant 0 runId). Returns {members forgotten, waiter fields removed}.
local forgotten, waiters = {}, {}
for i = 2, #ARGV do
  local member, run, steps = ARGV[i], KEYS[2 * i], KEYS[2 * i + 1]
  local ended = redis.call('ZSCORE', KEYS[1], member)
  if ended and tonumber(ended) < tonumber(ARGV[1]) then
    local state = redis.call('HGET', KEYS[2 * i], 'st')
    if state and state ~= 'RUN_STARTED' then
      for _, f in ipairs(redis.call('HKEYS', run)) do
        if string.sub(f, 1, 2) == 'w:' then
          local w = string.sub(f, 3)
          redis.call('HDEL', KEYS[2], w)
          waiters[#waiters + 1] = w
        end
      end
      redis.call('DEL', run, steps)
      forgotten[#forgotten + 1] = member
    end
    redis.call('ZREM', KEYS[1], member)
    redis.call('SREM', KEYS[3], member)
  end
end
return {forgotten, waiters}
