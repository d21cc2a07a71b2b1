package dev.ferry.store.redis;

import static dev.ferry.store.StoreFixtures.T0;
import static dev.ferry.store.StoreFixtures.attempt;
import static dev.ferry.store.StoreFixtures.await;
import static dev.ferry.store.StoreFixtures.message;
import static dev.ferry.store.StoreFixtures.queued;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.config.RedisConfig;
import dev.ferry.model.Message;
import dev.ferry.store.PendingCountContract;
import dev.ferry.store.Stores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link PendingCountContract} on a real redis-server, and the count of data from before it. */
class RedisPendingCountTest extends PendingCountContract {
  private final RedisConfig config = SharedRedis.freshConfig();

  @Override
  protected Future<Stores> newStores(Vertx vertx) {
    return SharedRedis.open(vertx, config);
  }

  @Test
  void data_written_without_counts_is_counted_once_by_replicas_starting_together(Vertx vertx)
      throws IOException {
    Stores stores = open(vertx);
    Message delivered = message("acme", T0);
    List<Message> messages =
        List.of(delivered, message("acme", T0), queued("acme", "q"), message("b", T0));
    await(stores.messages().append(messages));
    await(stores.messages().markDelivered(delivered, attempt(200)));
    await(stores.close());
    // what a Ferry that kept no counts leaves: the messages without any counts hash
    RedisKeys keys = new RedisKeys(config.keyPrefix());
    for (int p = 0; p < config.partitions(); p++) {
      SharedRedis.server().command("DEL " + keys.pendingCounts(p));
    }

    Future<Stores> first = newStores(vertx);
    Future<Stores> second = newStores(vertx);
    Stores one = await(first);
    Stores two = await(second);
    try {
      assertEquals(2L, await(one.messages().pendingCount("acme")));
      assertEquals(1L, await(two.messages().pendingCount("b")));
      await(one.messages().append(List.of(message("acme", T0))));
      assertEquals(3L, await(two.messages().pendingCount("acme")), "counted once, then kept");
    } finally {
      await(one.close());
      await(two.close());
    }
    Stores again = open(vertx);
    assertEquals(3L, await(again.messages().pendingCount("acme")), "a later start counts nothing");
  }
}
