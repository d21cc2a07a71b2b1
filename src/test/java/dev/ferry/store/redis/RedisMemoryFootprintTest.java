package dev.ferry.store.redis;

import static dev.ferry.store.StoreFixtures.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.config.FerryConfig;
import dev.ferry.config.RedisConfig;
import dev.ferry.model.AttemptResult;
import dev.ferry.model.DlqEntry;
import dev.ferry.model.LogRecord;
import dev.ferry.model.Message;
import dev.ferry.model.MessageState;
import dev.ferry.store.LogStore;
import dev.ferry.store.MessageIds;
import dev.ferry.store.StoreBackend;
import dev.ferry.store.StoreBackends;
import dev.ferry.store.StoreMetrics;
import dev.ferry.testing.MessageBuilder;
import dev.ferry.testing.Polls;
import dev.ferry.testing.RedisServer;
import dev.ferry.testing.TestConfigs;
import dev.ferry.testing.TestFerry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Redis memory costs per pending message (1 KB body), per message-log entry and per DLQ entry:
 * {@code used_memory} of {@code INFO memory} before and after 10 000 of each on a fresh
 * redis-server, divided by 10 000. Prints the figures (docs/operations.md quotes them) and fails
 * when one grows past a bound, so a change that bloats the records shows.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisMemoryFootprintTest {
  private static final int N = 10_000;
  private static final int BATCH = 100;
  private static final String URL = "https://api.example.com/webhooks/orders?source=ferry";

  @TempDir Path dataDir;
  private RedisServer redis;
  private StoreBackend backend;
  private MessageIds ids;
  private RedisLink link;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    redis = RedisServer.start();
    RedisConfig settings = RedisConfig.DEFAULTS.withEndpoints(List.of(redis.url()));
    FerryConfig config =
        TestConfigs.withStorage(
            TestFerry.config(dataDir),
            new FerryConfig.Storage(StoreBackends.REDIS, dataDir, settings));
    backend = await(StoreBackends.open(vertx, config, StoreMetrics.NONE, Clock.systemUTC()));
    ids = backend.stores().messageIds();
    link = RedisLink.create(vertx, settings, StoreMetrics.NONE);
  }

  @AfterEach
  void stop() throws Exception {
    if (link != null) await(link.close());
    if (backend != null) await(backend.close());
    if (redis != null) redis.close();
  }

  @Test
  void bytes_of_redis_memory_per_pending_message_log_entry_and_dlq_entry() throws Exception {
    long start = usedMemory();
    List<Message> pending = new ArrayList<>();
    for (int i = 0; i < N; i++) pending.add(message(i));
    for (int i = 0; i < N; i += BATCH) {
      await(backend.stores().messages().append(pending.subList(i, i + BATCH)));
    }
    long afterPending = usedMemory();
    double perPending = (afterPending - start) / (double) N;

    // a delivered message's log: CREATED (a batch shares one row) and ACTIVE entries first ...
    LogStore logs = backend.logs();
    for (int i = 0; i < N; i += BATCH) {
      List<Message> batch = pending.subList(i, i + BATCH);
      logs.created(batch);
      List<LogRecord> records = new ArrayList<>();
      for (Message m : batch) records.add(LogRecord.of(m, MessageState.ACTIVE));
      logs.recordAll(records);
    }
    awaitLogRows(N / BATCH + N);
    long afterEntries = usedMemory();
    double perEntry = (afterEntries - afterPending) / (double) (2 * N);

    // ... then DELIVERED, which also keeps the finished message's snapshot for the log
    AttemptResult ok = new AttemptResult(200, Map.of(), new byte[0], null, 0);
    for (int i = 0; i < N; i += BATCH) {
      List<LogRecord> records = new ArrayList<>();
      for (Message m : pending.subList(i, i + BATCH)) {
        records.add(new LogRecord(m.tenant(), m.id(), MessageState.DELIVERED, null, 0, ok, m));
      }
      logs.recordAll(records);
    }
    awaitLogRows(N / BATCH + 2 * N);
    long afterLog = usedMemory();
    double perFinal = (afterLog - afterEntries) / (double) N;
    double perLoggedMessage = (afterLog - afterPending) / (double) N;

    AttemptResult failed =
        new AttemptResult(
            500, Map.of("Content-Type", List.of("text/plain")), "boom".getBytes(), null, 0);
    for (int i = 0; i < N; i += BATCH) {
      List<io.vertx.core.Future<Void>> moves = new ArrayList<>();
      for (int k = i; k < i + BATCH; k++) {
        Message m = pending.get(k);
        moves.add(
            backend
                .stores()
                .messages()
                .moveToDlq(m, new DlqEntry((1_800_000_000_000L + k) + "-0", m, failed)));
      }
      await(io.vertx.core.Future.all(moves));
    }
    long afterDlq = usedMemory();
    // the moves freed the pending messages: the DLQ holds the growth plus what they had used
    double perDlq = (afterDlq - afterLog + (afterPending - start)) / (double) N;

    System.out.printf(
        "Redis memory: %.0f B per pending message (1 KB body); %.0f B per log entry (CREATED in"
            + " rows of %d, ACTIVE), %.0f B per final entry with its message's snapshot, %.0f B per"
            + " delivered message's whole log; %.0f B per DLQ entry (1 KB body)%n",
        perPending, perEntry, BATCH, perFinal, perLoggedMessage, perDlq);
    assertTrue(perPending < 2000, perPending + " B per pending message");
    assertTrue(perEntry < 100, perEntry + " B per log entry");
    assertTrue(perLoggedMessage < 2000, perLoggedMessage + " B per delivered message's log");
    assertTrue(perDlq < 2000, perDlq + " B per DLQ entry");
  }

  private Message message(int i) {
    String id =
        ids.complete(
            String.format("msg_%011d%08d", i, 0),
            new MessageIds.Placement("acme", null, null, null, null));
    byte[] body = new byte[1024];
    for (int b = 0; b < body.length; b++) body[b] = (byte) ('a' + (b + i) % 26);
    return MessageBuilder.message(id, "acme", URL)
        .headers(Map.of("Content-Type", List.of("application/json")))
        .body(body)
        .maxRetries(3)
        .createdAt(1_800_000_000_000L)
        .callerIp("10.0.0.1")
        .labels(List.of())
        .dueAt(1_800_000_000_000L + 3_600_000)
        .build();
  }

  private void awaitLogRows(int rows) {
    Polls.waitUpTo(
        Duration.ofSeconds(30),
        Duration.ofMillis(100),
        () ->
            await(link.send(Request.cmd(Command.XLEN).arg("ferry:{ferry:log:acme}:e"))).toLong()
                == rows);
  }

  /** {@code used_memory} from {@code INFO memory}. */
  private long usedMemory() {
    String info = await(link.send(Request.cmd(Command.INFO).arg("memory"))).toString();
    Matcher m = Pattern.compile("used_memory:(\\d+)").matcher(info);
    if (!m.find()) throw new AssertionError("no used_memory in INFO: " + info);
    return Long.parseLong(m.group(1));
  }
}
