package dev.ferry.store;

import static dev.ferry.store.StoreFixtures.T0;
import static dev.ferry.store.StoreFixtures.await;
import static dev.ferry.store.StoreFixtures.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.Ferry;
import dev.ferry.config.ConfigException;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.RedisConfig;
import dev.ferry.model.LogRecord;
import dev.ferry.model.Message;
import dev.ferry.model.MessageState;
import dev.ferry.testing.Polls;
import dev.ferry.testing.RedisServer;
import dev.ferry.testing.TestConfigs;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The factory behind {@code storage.kind}: which backend Ferry gets, and what it refuses. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StoreBackendsTest {
  @TempDir Path dataDir;

  @Test
  void a_storage_kind_without_a_backend_fails_start_up_naming_the_key_and_what_it_accepts(
      Vertx vertx) {
    FerryConfig config =
        TestConfigs.withStorage(
            TestFerry.config(dataDir), new FerryConfig.Storage("postgres", dataDir));
    Exception e =
        assertThrows(Exception.class, () -> Ferry.start(vertx, config).await(30, TimeUnit.SECONDS));
    assertInstanceOf(ConfigException.class, e);
    assertEquals(
        "storage.kind: must be \"embedded\" or \"redis\", got \"postgres\"", e.getMessage());
    assertFalse(Files.exists(dataDir.resolve("CURRENT")), "no embedded store was opened instead");
  }

  @Test
  void redis_keeps_the_stores_and_the_message_log_in_redis_and_nothing_on_disk(Vertx vertx)
      throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      RedisConfig settings = RedisConfig.DEFAULTS.withEndpoints(List.of(redis.url()));
      FerryConfig config =
          TestConfigs.withStorage(
              TestFerry.config(dataDir),
              new FerryConfig.Storage(StoreBackends.REDIS, dataDir, settings));
      StoreBackend backend =
          await(StoreBackends.open(vertx, config, StoreMetrics.NONE, Clock.systemUTC()));
      try {
        StoreFixtures.placeIdsWith(backend.stores().messageIds());
        Message m = message("acme", T0);
        await(backend.stores().messages().append(List.of(m)));
        backend.logs().created(List.of(m));
        assertEquals(
            m.id(), await(backend.stores().messages().find("acme", m.id())).orElseThrow().id());
        Polls.waitUpTo(
            Duration.ofSeconds(5),
            Duration.ofMillis(10),
            () ->
                await(
                            backend
                                .logs()
                                .query(
                                    "acme",
                                    new LogStore.Query(
                                        true, -1, 0, Long.MAX_VALUE, 10, e -> true, 100)))
                        .entries()
                        .size()
                    == 1);
        await(backend.stores().probeWrite());
        assertEquals(":1", redis.command("EXISTS ferry:{ferry:log:acme}:e"), "the log is in Redis");
        try (var files = Files.list(dataDir)) {
          assertEquals(List.of(), files.toList(), "nothing on local disk");
        }
      } finally {
        StoreFixtures.placeIdsWith(MessageIds.AS_MINTED);
        await(backend.close());
      }
    }
  }

  @Test
  void embedded_opens_the_stores_in_the_data_dir_and_the_message_log_beside_them(Vertx vertx) {
    StoreBackend backend =
        await(
            StoreBackends.open(
                vertx, TestFerry.config(dataDir), StoreMetrics.NONE, Clock.systemUTC()));
    try {
      Message m = message("acme", T0);
      await(backend.stores().messages().append(List.of(m)));
      assertEquals(
          m.id(), await(backend.stores().messages().find("acme", m.id())).orElseThrow().id());
      assertTrue(
          backend.stores().pendingWrites().isPresent(), "the embedded writer's queue is measured");
      assertTrue(Files.isDirectory(dataDir.resolve("logs")), "the message log in <dataDir>/logs");
    } finally {
      await(backend.close());
    }
  }

  @Test
  void with_logs_disabled_the_log_records_nothing_and_opens_no_files(Vertx vertx) {
    FerryConfig config = TestConfigs.of(dataDir).set("logs.enabled", false).build();
    StoreBackend backend =
        await(StoreBackends.open(vertx, config, StoreMetrics.NONE, Clock.systemUTC()));
    try {
      backend.logs().record(LogRecord.of(message("acme", T0), MessageState.CREATED));
      LogStore.Page page =
          await(
              backend
                  .logs()
                  .query(
                      "acme", new LogStore.Query(true, -1, 0, Long.MAX_VALUE, 10, e -> true, 100)));
      assertEquals(List.of(), page.entries());
      assertFalse(Files.exists(dataDir.resolve("logs")));
    } finally {
      await(backend.close());
    }
  }
}
