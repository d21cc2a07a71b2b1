-- Renews (or ends) one replica's membership and returns the live members. Times are the Redis
-- server's, so replicas whose clocks disagree agree on who is alive.
-- KEYS: members (ZSET id -> expiry in server ms). ARGV: id, ttl ms, '1' to stay, '0' to leave.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if ARGV[3] == '1' then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
else
  redis.call('ZREM', KEYS[1], ARGV[1])
end
return redis.call('ZRANGE', KEYS[1], 0, -1)
