package dev.ferry.store.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One kind of small per-tenant named record (queues, URL groups, flow-control settings) in Redis: a
 * hash per tenant (name → record) and a set of the tenants that have any, all under the metadata
 * hash tag. Every read goes to Redis, so a change made through one replica is seen by all at once.
 * Non-blocking; thread-safe.
 */
final class RedisMetadataTable<V> {
  private final RedisLink link;
  private final RedisKeys keys;
  private final String kind;
  private final Function<V, byte[]> encode;
  private final Function<byte[], V> decode;
  private final Comparator<V> order;

  RedisMetadataTable(
      RedisLink link,
      RedisKeys keys,
      String kind,
      Function<V, byte[]> encode,
      Function<byte[], V> decode,
      Function<V, String> tenantOf,
      Function<V, String> nameOf) {
    this.link = link;
    this.keys = keys;
    this.kind = kind;
    this.encode = encode;
    this.decode = decode;
    this.order = Comparator.comparing(tenantOf).thenComparing(nameOf);
  }

  Future<Optional<V>> get(String tenant, String name) {
    return link.send(Request.cmd(Command.HGET).arg(keys.metadata(kind, tenant)).arg(name))
        .map(r -> r == null ? Optional.<V>empty() : Optional.of(decode.apply(r.toBytes())));
  }

  /** The tenant's records sorted by name. */
  Future<List<V>> list(String tenant) {
    return link.send(Request.cmd(Command.HVALS).arg(keys.metadata(kind, tenant)))
        .map(
            reply -> {
              List<V> out = new ArrayList<>();
              for (Response r : reply) out.add(decode.apply(r.toBytes()));
              out.sort(order);
              return out;
            });
  }

  /** Every tenant's records, by tenant then name. */
  Future<List<V>> all() {
    return link.send(Request.cmd(Command.SMEMBERS).arg(keys.metadataTenants(kind)))
        .compose(
            tenants -> {
              List<Future<List<V>>> lists = new ArrayList<>();
              for (Response t : tenants) lists.add(list(t.toString()));
              return Settled.all(lists);
            })
        .map(
            lists -> {
              List<V> out = new ArrayList<>();
              lists.forEach(out::addAll);
              out.sort(order);
              return out;
            });
  }

  Future<Void> put(String tenant, String name, V value) {
    return link.write(
            RedisScripts.META_PUT,
            List.of(keys.metadata(kind, tenant), keys.metadataTenants(kind)),
            List.of(tenant, name, encode.apply(value)))
        .mapEmpty();
  }

  Future<Boolean> delete(String tenant, String name) {
    return link.write(
            RedisScripts.META_DELETE,
            List.of(keys.metadata(kind, tenant), keys.metadataTenants(kind)),
            List.of(tenant, name))
        .map(r -> r.toLong() > 0);
  }
}
