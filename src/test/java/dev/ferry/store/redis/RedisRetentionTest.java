package dev.ferry.store.redis;

import static dev.ferry.store.StoreFixtures.T0;
import static dev.ferry.store.StoreFixtures.await;
import static dev.ferry.store.StoreFixtures.dlqEntry;
import static dev.ferry.store.StoreFixtures.message;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.config.FerryConfig;
import dev.ferry.config.RedisConfig;
import dev.ferry.model.LogRecord;
import dev.ferry.model.Message;
import dev.ferry.model.MessageState;
import dev.ferry.store.LogStore;
import dev.ferry.store.MessageIds;
import dev.ferry.store.StoreBackend;
import dev.ferry.store.StoreBackends;
import dev.ferry.store.StoreFixtures;
import dev.ferry.store.StoreMetrics;
import dev.ferry.testing.Polls;
import dev.ferry.testing.TestConfigs;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention frees Redis memory: what the log and DLQ retention delete is gone from Redis (stream
 * rows, snapshots of finished messages, DLQ entries with their index rows), not only hidden.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisRetentionTest {
  @TempDir Path dataDir;
  private final RedisConfig config = SharedRedis.freshConfig();
  private final RedisKeys keys = new RedisKeys(config.keyPrefix());
  private final Partitions partitions = new Partitions(config.partitions());
  private StoreBackend backend;
  private RedisLink link;

  private StoreBackend open(Vertx vertx) {
    FerryConfig ferry =
        TestConfigs.withStorage(
            TestFerry.config(dataDir),
            new FerryConfig.Storage(StoreBackends.REDIS, dataDir, config));
    backend =
        await(
            StoreBackends.open(
                vertx,
                ferry,
                StoreMetrics.NONE,
                Clock.fixed(Instant.ofEpochMilli(T0), ZoneOffset.UTC)));
    link = RedisLink.create(vertx, config, StoreMetrics.NONE);
    StoreFixtures.placeIdsWith(backend.stores().messageIds());
    return backend;
  }

  @AfterEach
  void close() {
    StoreFixtures.placeIdsWith(MessageIds.AS_MINTED);
    if (backend != null) await(backend.close());
    if (link != null) await(link.close());
  }

  @Test
  void log_retention_removes_the_rows_and_the_snapshots_of_finished_messages(Vertx vertx) {
    LogStore logs = open(vertx).logs();
    Message finished = message("acme", T0);
    logs.created(List.of(finished, message("acme", T0)));
    logs.record(LogRecord.of(finished, MessageState.DELIVERED));
    Polls.waitUpTo(
        Duration.ofSeconds(5),
        Duration.ofMillis(5),
        () -> size(Command.XLEN, keys.logStream("acme")) == 2);
    assertEquals(1, size(Command.HLEN, keys.logSnapshots("acme")));

    assertEquals(3, await(logs.expire(T0 + 1, 100)));

    assertEquals(0, size(Command.XLEN, keys.logStream("acme")));
    assertEquals(0, size(Command.HLEN, keys.logSnapshots("acme")));
  }

  @Test
  void dlq_retention_removes_the_entries_and_their_index_rows(Vertx vertx) {
    StoreBackend opened = open(vertx);
    for (int i = 0; i < 3; i++) {
      Message m = message("acme", T0);
      await(opened.stores().messages().append(List.of(m)));
      await(opened.stores().messages().moveToDlq(m, dlqEntry((T0 + i) + "-0", m)));
    }
    assertEquals(3L, await(opened.stores().dlq().count("acme")));

    assertEquals(3, await(opened.stores().dlq().expire(T0 + 10, 100)));

    assertEquals(0L, await(opened.stores().dlq().count("acme")));
    assertEquals(0, size(Command.ZCARD, keys.dlqIndex("acme")));
    for (int p = 0; p < partitions.count(); p++) {
      assertEquals(0, size(Command.HLEN, keys.dlq(p)), "DLQ entries of partition " + p);
      assertEquals(0, size(Command.ZCARD, keys.dlqExpiry(p)), "DLQ expiry rows of partition " + p);
    }
  }

  private long size(Command command, String key) {
    return await(link.send(Request.cmd(command).arg(key))).toLong();
  }
}
