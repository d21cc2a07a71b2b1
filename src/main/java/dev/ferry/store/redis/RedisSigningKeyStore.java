package dev.ferry.store.redis;

import dev.ferry.store.SigningKeyStore;
import dev.ferry.store.codec.MetadataCodec;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.Optional;

/** {@link SigningKeyStore} on Redis: one hash, tenant → keys. Non-blocking; thread-safe. */
final class RedisSigningKeyStore implements SigningKeyStore {
  private final RedisLink link;
  private final RedisKeys keys;

  RedisSigningKeyStore(RedisLink link, RedisKeys keys) {
    this.link = link;
    this.keys = keys;
  }

  @Override
  public Future<Optional<StoredKeys>> get(String tenant) {
    return link.send(Request.cmd(Command.HGET).arg(keys.signingKeys()).arg(tenant))
        .map(
            r -> r == null ? Optional.empty() : Optional.of(MetadataCodec.decodeKeys(r.toBytes())));
  }

  @Override
  public Future<Void> put(String tenant, StoredKeys stored) {
    return link.writeCommand(
            Request.cmd(Command.HSET)
                .arg(keys.signingKeys())
                .arg(tenant)
                .arg(MetadataCodec.encode(stored)))
        .mapEmpty();
  }
}
