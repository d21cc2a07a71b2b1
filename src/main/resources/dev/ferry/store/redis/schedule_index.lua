-- Notes where a tenant's schedule lives, before it is written. KEYS: the set of tenants with
-- schedules, the tenant's set of partitions. ARGV: tenant, partition.
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[2])
return 1
