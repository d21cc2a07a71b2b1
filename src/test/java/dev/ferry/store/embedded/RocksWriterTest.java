package dev.ferry.store.embedded;

import static dev.ferry.store.StoreFixtures.await;
import static dev.ferry.store.embedded.Keys.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.store.StoreMetrics;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit and per-operation isolation of {@link RocksWriter}, made deterministic by holding
 * the writer.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RocksWriterTest {
  @TempDir Path dataDir;
  private EmbeddedDb db;
  private RocksWriter writer;
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void open() throws Exception {
    db = EmbeddedDb.open(dataDir);
    writer = new RocksWriter(db, StoreMetrics.NONE, WriteLimits.NONE, DiskSpace.UNLIMITED);
  }

  @AfterEach
  void close() throws Exception {
    release.countDown();
    writer.close();
    db.close();
  }

  @Test
  void writes_queued_behind_a_busy_writer_commit_as_one_batch() throws Exception {
    Future<Void> holding = holdWriter();
    long before = writer.commits();
    List<Future<Void>> writes = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      writes.add(put("k" + i));
    }
    release.countDown();
    await(Future.all(writes));
    await(holding);
    assertEquals(2, writer.commits() - before); // the holding write, then all hundred together
    assertTrue(exists("k99"));
  }

  @Test
  void a_failing_operation_fails_alone_and_leaves_no_trace() throws Exception {
    Future<Void> holding = holdWriter();
    AtomicInteger hooks = new AtomicInteger();
    Future<Void> first = put("a");
    Future<Void> failing =
        writer.write(
            batch -> {
              batch.put(db.queues(), utf8("b"), utf8("v"));
              batch.afterCommit(hooks::incrementAndGet);
              throw new IllegalStateException("boom");
            });
    Future<Boolean> sawB = writer.write(batch -> batch.exists(db.queues(), utf8("b")));
    Future<Void> last = put("c");
    release.countDown();
    await(holding);

    assertEquals(
        "boom", assertThrows(IllegalStateException.class, () -> await(failing)).getMessage());
    await(first);
    await(last);
    assertEquals(false, await(sawB));
    assertEquals(0, hooks.get());
    assertTrue(exists("a"));
    assertTrue(exists("c"));
    assertTrue(!exists("b"));
  }

  @Test
  void checks_see_earlier_operations_of_the_same_batch() throws Exception {
    Future<Void> holding = holdWriter();
    put("k");
    Future<Boolean> seen = writer.write(batch -> batch.exists(db.queues(), utf8("k")));
    Future<Boolean> deleted =
        writer.write(
            batch -> {
              batch.delete(db.queues(), utf8("k"));
              return batch.exists(db.queues(), utf8("k"));
            });
    release.countDown();
    await(holding);
    assertTrue(await(seen));
    assertEquals(false, await(deleted));
  }

  @Test
  void writes_after_close_are_refused() throws Exception {
    release.countDown();
    writer.close();
    assertThrows(IllegalStateException.class, () -> await(put("late")));
    assertNull(db.db().get(db.queues(), utf8("late")));
  }

  /**
   * A write that keeps the writer thread busy until {@link #release} opens, so later writes pile
   * up.
   */
  private Future<Void> holdWriter() throws InterruptedException {
    return WriterHold.hold(
        writer::write,
        release,
        batch -> {
          batch.put(db.queues(), utf8("holding"), utf8("v"));
          return null;
        });
  }

  private Future<Void> put(String key) {
    return WriterHold.put(writer, db, key);
  }

  private boolean exists(String key) throws Exception {
    return db.db().get(db.queues(), utf8(key)) != null;
  }
}
