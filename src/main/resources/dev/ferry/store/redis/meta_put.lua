-- Creates or replaces one metadata record. KEYS: the tenant's hash, the set of tenants.
-- ARGV: tenant, name, record.
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
redis.call('SADD', KEYS[2], ARGV[1])
return 1
