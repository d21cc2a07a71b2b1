package dev.ferry.store.redis;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

/**
 * The requests behind partition leases ({@code lease_*.lua}). Each script touches the keys of one
 * hash tag only (a partition's, or the metadata's), so it also runs on Redis Cluster. Sent with
 * {@code EVAL} on the leases' own connection: Redis keeps the compiled script by its SHA-1 anyway,
 * and a restarted Redis needs no reload.
 */
final class LeaseScripts {
  private static final LuaScript MEMBERS = LuaScript.load("lease_members");
  private static final LuaScript ACQUIRE = LuaScript.load("lease_acquire");
  private static final LuaScript RENEW = LuaScript.load("lease_renew");
  private static final LuaScript RELEASE = LuaScript.load("lease_release");

  private LeaseScripts() {}

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

  private static Request eval(LuaScript script, int keys) {
    return Request.cmd(Command.EVAL).arg(script.source()).arg(keys);
  }
}
