package dev.ferry.store.embedded;

import static dev.ferry.store.StoreFixtures.T0;
import static dev.ferry.store.StoreFixtures.await;
import static dev.ferry.store.StoreFixtures.nextId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.model.LogRecord;
import dev.ferry.model.Message;
import dev.ferry.model.MessageState;
import dev.ferry.store.LogStore;
import dev.ferry.store.StoreUnavailableException;
import dev.ferry.store.Stores;
import dev.ferry.testing.MessageBuilder;
import dev.ferry.testing.Polls;
import dev.ferry.testing.Tmpfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The message log's own RocksDB runs out of space on a real tmpfs (no floor configured), then only
 * 24 MB come back: less than RocksDB needs to recover by itself (its largest memtable, 32 MB). The
 * log store must write again without a restart, keeping what it had. Needs {@code mount} (root);
 * without it the test fails, it does not skip.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LogStoreNoSpaceTest {
  private static final long MB = 1024 * 1024;

  @TempDir Path dir;
  private Tmpfs volume;
  private Stores stores;
  private LogStore logs;
  private Message early;

  @BeforeEach
  void open() throws Exception {
    volume = Tmpfs.mount(dir.resolve("volume"), "96m");
    stores =
        await(
            EmbeddedStores.open(
                dir.resolve("data"))); // the message store is not on the small volume
    logs =
        await(
            EmbeddedLogStore.open(
                volume.path().resolve("logs"), System::currentTimeMillis, stores.messages()));
  }

  @AfterEach
  void close() throws Exception {
    if (logs != null) await(logs.close().recover(e -> io.vertx.core.Future.succeededFuture()));
    if (stores != null) await(stores.close());
    volume.close();
  }

  @Test
  void a_log_store_stuck_after_enospc_writes_again_once_space_returns_without_a_restart()
      throws Exception {
    // GIVEN an entry written, then a volume filled until the log's WAL append fails (entries are
    // dropped)
    early = message(16);
    logs.record(LogRecord.of(early, MessageState.DELIVERED));
    assertTrue(isLogged(early, 5_000), "the first entry was never written");
    Path returned = volume.fill("returned", 24 * MB);
    volume.fill("filler", volume.usableBytes() - 4 * MB);
    // every 20 ms: a few MB a second, far below the queue's byte bound, so only a failed write
    // drops entries
    Polls.waitUpTo(
        Duration.ofSeconds(20),
        () -> {
          if (logs.dropped() > 0) return true;
          for (int i = 0; i < 4; i++)
            logs.record(LogRecord.of(message(256 * 1024), MessageState.DELIVERED));
          return false;
        });
    assertTrue(logs.dropped() > 0, "the log never failed a write although its volume is full");
    keepFullUntilSettled();

    // WHEN some space returns, less than RocksDB needs to recover by itself
    Files.delete(returned);
    assertTrue(
        volume.usableBytes() < 32 * MB,
        volume.usableBytes() + " bytes free: RocksDB would recover alone");

    // THEN entries recorded now are written again, and the one from before the failure is still
    // there
    long freed = System.nanoTime();
    boolean[] logged = {false};
    Polls.waitUpTo(
        Duration.ofSeconds(30),
        () -> {
          Message now = message(16);
          logs.record(LogRecord.of(now, MessageState.DELIVERED));
          try {
            logged[0] = isLogged(now, 500);
          } catch (StoreUnavailableException e) {
            return false; // closed while it is reopened in place: "retry later"
          }
          return logged[0];
        });
    assertTrue(logged[0], "the log store never wrote again after space returned");
    System.out.printf(
        "log store writes again %d ms after space returned%n",
        (System.nanoTime() - freed) / 1_000_000);
    assertTrue(isLogged(early, 0), "the entry written before the failure is gone");
    assertEquals(List.of(), logs.unrecoverable().stream().toList());
  }

  /**
   * A failed flush or compaction deletes what it had written, up to a memtable's worth: fills that
   * space too, until the volume has stayed full for a second, so that only {@code returned} comes
   * back.
   */
  private void keepFullUntilSettled() {
    long[] fullSince = {System.nanoTime()};
    long[] refilled = {0, 0}; // files, bytes
    Polls.waitUpTo(
        Duration.ofSeconds(15),
        () -> {
          long free = volume.usableBytes();
          if (free > 8 * MB) {
            volume.fill("refill-" + refilled[0]++, free - 4 * MB);
            refilled[1] += free - 4 * MB;
            fullSince[0] = System.nanoTime();
          }
          return System.nanoTime() - fullSince[0] > TimeUnit.SECONDS.toNanos(1);
        });
    System.out.printf(
        "after the failed write: %d MB freed by RocksDB filled again%n", refilled[1] / MB);
  }

  private static Message message(int bodyBytes) {
    return MessageBuilder.message(nextId(), "acme", "https://example.com/hook")
        .headers(Map.of())
        .body(new byte[bodyBytes])
        .maxRetries(3)
        .createdAt(T0)
        .callerIp("10.0.0.1")
        .labels(List.of())
        .dueAt(T0)
        .build();
  }

  /**
   * Whether {@code m} has an entry, polling up to {@code timeoutMillis} (entries are written
   * asynchronously). Looks only at the newest entries, or the oldest for the first one: every entry
   * here carries a snapshot to read.
   */
  private boolean isLogged(Message m, long timeoutMillis) throws Exception {
    Callable<Boolean> found =
        () ->
            !await(
                    logs.query(
                        "acme",
                        new LogStore.Query(
                            m != early,
                            -1,
                            0,
                            Long.MAX_VALUE,
                            1,
                            e -> e.messageId().equals(m.id()),
                            20)))
                .entries()
                .isEmpty();
    if (timeoutMillis <= 0) return found.call();
    try {
      Polls.within(Duration.ofMillis(timeoutMillis)).until(found);
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }
}
