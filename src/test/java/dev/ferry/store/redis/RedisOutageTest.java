package dev.ferry.store.redis;

import static dev.ferry.store.StoreFixtures.T0;
import static dev.ferry.store.StoreFixtures.await;
import static dev.ferry.store.StoreFixtures.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.ConfigException;
import dev.ferry.config.RedisConfig;
import dev.ferry.model.Message;
import dev.ferry.store.MessageIds;
import dev.ferry.store.StoreFixtures;
import dev.ferry.store.StoreMetrics;
import dev.ferry.store.StoreUnavailableException;
import dev.ferry.store.Stores;
import dev.ferry.testing.Polls;
import dev.ferry.testing.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Redis going away and coming back: every store call fails with {@link StoreUnavailableException}
 * (the API's 503, delivery's "later") while it is down, and the same stores work again once it is
 * back, with everything acknowledged before still there (AOF {@code always}) and the scripts Redis
 * forgot sent again.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisOutageTest {
  private RedisServer redis;
  private Stores stores;

  @BeforeEach
  void start() throws Exception {
    redis = RedisServer.start();
  }

  @AfterEach
  void stop() throws Exception {
    StoreFixtures.placeIdsWith(MessageIds.AS_MINTED);
    if (stores != null) await(stores.close());
    redis.close();
  }

  private RedisConfig config() {
    return RedisConfig.DEFAULTS.withEndpoints(List.of(redis.url()));
  }

  @Test
  void while_redis_is_down_calls_fail_as_unavailable_and_work_again_after_it_restarts(Vertx vertx)
      throws Exception {
    stores = await(RedisStores.open(vertx, config(), StoreMetrics.NONE));
    StoreFixtures.placeIdsWith(stores.messageIds());
    Message kept = message("acme", T0);
    await(stores.messages().append(List.of(kept)));

    redis.kill();

    assertUnavailable(() -> stores.messages().append(List.of(message("acme", T0))));
    assertUnavailable(() -> stores.messages().find("acme", kept.id()));
    assertUnavailable(() -> stores.messages().scanDue(0, "", Long.MAX_VALUE, 10));
    assertUnavailable(() -> stores.queues().listAll());
    assertUnavailable(stores::probeWrite);

    redis.restart();

    Message after = message("acme", T0 + 1);
    Polls.within(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(
            () -> {
              await(stores.messages().append(List.of(after)));
              return true;
            });
    await(stores.probeWrite());
    assertEquals(kept.id(), await(stores.messages().find("acme", kept.id())).orElseThrow().id());
    assertEquals(2, await(stores.messages().findAll(List.of(kept.id(), after.id()))).size());
  }

  @Test
  void a_batch_across_partitions_is_stored_after_redis_forgot_its_scripts(Vertx vertx)
      throws Exception {
    stores = await(RedisStores.open(vertx, config(), StoreMetrics.NONE));
    StoreFixtures.placeIdsWith(stores.messageIds());
    await(stores.messages().append(List.of(message("acme", T0), message("acme", T0))));

    // one pipeline of one script call per partition; Redis answers each with NOSCRIPT
    assertEquals("+OK", redis.command("SCRIPT FLUSH"));
    List<Message> batch = new ArrayList<>();
    for (int i = 0; i < 20; i++) batch.add(message("acme", T0 + i));
    await(stores.messages().append(batch));

    List<String> ids = batch.stream().map(Message::id).toList();
    assertTrue(
        ids.stream().map(id -> id.substring(id.length() - 2)).distinct().count() > 1,
        "the batch spans partitions (ids end with their partition)");
    assertEquals(ids, await(stores.messages().findAll(ids)).stream().map(Message::id).toList());
  }

  @Test
  void redis_down_at_start_fails_opening_as_unavailable(Vertx vertx) throws Exception {
    redis.kill();
    Exception e =
        assertThrows(
            Exception.class,
            () -> RedisStores.open(vertx, config(), StoreMetrics.NONE).await(30, TimeUnit.SECONDS));
    assertInstanceOf(StoreUnavailableException.class, e);
  }

  @Test
  void a_different_partition_count_at_a_later_start_fails_naming_both(Vertx vertx) {
    await(await(RedisStores.open(vertx, config(), StoreMetrics.NONE)).close());
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                RedisStores.open(vertx, config().withPartitions(32), StoreMetrics.NONE)
                    .await(30, TimeUnit.SECONDS));
    assertInstanceOf(ConfigException.class, e);
    assertTrue(
        e.getMessage()
            .startsWith(
                "storage.redis.partitions: is 32 but the data under key prefix \"ferry:\" was"
                    + " written with 64 partitions"),
        e.getMessage());
  }

  private static void assertUnavailable(Supplier<Future<?>> call) {
    Exception e = assertThrows(Exception.class, () -> call.get().await(30, TimeUnit.SECONDS));
    assertInstanceOf(StoreUnavailableException.class, e, String.valueOf(e));
  }
}
