package dev.ferry.store.redis;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

/**
 * The Lua scripts behind partition leases, and the requests that run them. Each script touches the
 * keys of one hash tag only (a partition's, or the metadata's), so it also runs on Redis Cluster.
 * Times come from the Redis server's clock ({@code TIME}, {@code PX}), never from a replica's, so
 * replicas whose clocks disagree still agree on who is alive and who holds what.
 *
 * <p>A lease's value is {@code <replica id>:<fencing token>}; the token comes from a counter that
 * only grows, so a value is never handed out twice. Delivery's writes in a partition carry the
 * value they were made under, and the store refuses them once the lease holds another.
 */
final class LeaseScripts {
  private LeaseScripts() {}

  /**
   * KEYS[1] members (sorted set: id → expiry in server ms); ARGV[1] id, ARGV[2] ttl ms, ARGV[3] "1"
   * to stay a member, "0" to leave. Drops expired members; returns the live ones.
   */
  private static final String MEMBERS =
      """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
      if ARGV[3] == '1' then
        redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
      else
        redis.call('ZREM', KEYS[1], ARGV[1])
      end
      return redis.call('ZRANGE', KEYS[1], 0, -1)
      """;

  /**
   * KEYS[1] lease, KEYS[2] fencing counter; ARGV[1] id, ARGV[2] ttl ms. Takes the lease when it is
   * free; returns the value it holds afterwards (this replica's when it took it).
   */
  private static final String ACQUIRE =
      """
      local held = redis.call('GET', KEYS[1])
      if held then return held end
      local value = ARGV[1] .. ':' .. redis.call('INCR', KEYS[2])
      redis.call('SET', KEYS[1], value, 'PX', ARGV[2])
      return value
      """;

  /** KEYS[1] lease; ARGV[1] value, ARGV[2] ttl ms. 1 when it was still held with that value. */
  private static final String RENEW =
      """
      if redis.call('GET', KEYS[1]) == ARGV[1] then
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 1
      end
      return 0
      """;

  /** KEYS[1] lease; ARGV[1] value. Frees the lease if it still holds that value. */
  private static final String RELEASE =
      """
      if redis.call('GET', KEYS[1]) == ARGV[1] then
        redis.call('DEL', KEYS[1])
        return 1
      end
      return 0
      """;

  static Request members(String membersKey, String replicaId, long ttlMillis, boolean stay) {
    return eval(MEMBERS, 1).arg(membersKey).arg(replicaId).arg(ttlMillis).arg(stay ? "1" : "0");
  }

  static Request acquire(String leaseKey, String fenceKey, String replicaId, long ttlMillis) {
    return eval(ACQUIRE, 2).arg(leaseKey).arg(fenceKey).arg(replicaId).arg(ttlMillis);
  }

  static Request renew(String leaseKey, String value, long ttlMillis) {
    return eval(RENEW, 1).arg(leaseKey).arg(value).arg(ttlMillis);
  }

  static Request release(String leaseKey, String value) {
    return eval(RELEASE, 1).arg(leaseKey).arg(value);
  }

  private static Request eval(String script, int keys) {
    return Request.cmd(Command.EVAL).arg(script).arg(keys);
  }
}
