package dev.ferry.store.embedded;

import static dev.ferry.store.StoreFixtures.await;
import static dev.ferry.store.embedded.Keys.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.store.StoreMetrics;
import dev.ferry.store.StoreUnavailableException;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's bounds: a long write queue sheds API writes, a disk below its reserve refuses writes
 * until it is not.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RocksWriterLimitsTest {
  private static final long RESERVE = 1_000_000;

  @TempDir Path dataDir;
  private EmbeddedDb db;
  private RocksWriter writer;
  private final AtomicLong free = new AtomicLong(10 * RESERVE);
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void open() throws Exception {
    db = EmbeddedDb.open(dataDir);
    writer = new RocksWriter(db, StoreMetrics.NONE, new WriteLimits(10, RESERVE), free::get);
  }

  @AfterEach
  void close() throws Exception {
    release.countDown();
    writer.close();
    db.close();
  }

  @Test
  void api_writes_beyond_the_pending_bound_are_shed_at_once_and_delivery_writes_are_not()
      throws Exception {
    Future<Void> holding = holdWriter();
    List<Future<Void>> queued = new ArrayList<>();
    for (int i = 0; i < 10; i++) queued.add(put("k" + i));

    StoreUnavailableException shed =
        assertThrows(StoreUnavailableException.class, () -> await(put("shed")));
    assertEquals(StoreUnavailableException.Reason.WRITE_QUEUE_FULL, shed.reason());
    Future<Void> outcome =
        writer.writeUnsynced(
            batch -> {
              batch.put(db.queues(), utf8("outcome"), utf8("v"));
              return null;
            });
    assertEquals(
        11,
        writer.queued(),
        "delivery's own write waits in the queue although it is over the bound");

    release.countDown();
    await(holding);
    await(Future.all(queued));
    await(outcome);
    assertNull(db.db().get(db.queues(), utf8("shed")));
    assertNotNull(db.db().get(db.queues(), utf8("outcome")));
    assertEquals(0, writer.queued());
    await(put("after")); // the queue drained: API writes are taken again
  }

  @Test
  void
      below_the_reserve_api_writes_fail_below_half_of_it_every_write_and_with_space_back_all_succeed()
          throws Exception {
    release.countDown();
    free.set(RESERVE - 1);
    StoreUnavailableException full =
        assertThrows(StoreUnavailableException.class, () -> await(put("api")));
    assertEquals(StoreUnavailableException.Reason.DISK_FULL, full.reason());
    await(
        writer.writeUnsynced(
            batch -> { // delivery may still record attempts in the upper half of the reserve
              batch.put(db.queues(), utf8("outcome"), utf8("v"));
              return null;
            }));

    free.set(RESERVE / 2 - 1);
    assertThrows(
        StoreUnavailableException.class,
        () ->
            await(
                writer.writeOutcome(
                    batch -> {
                      batch.put(db.queues(), utf8("dlq"), utf8("v"));
                      return null;
                    })));

    free.set(RESERVE);
    await(put("api"));
    assertNotNull(db.db().get(db.queues(), utf8("api")));
    assertNull(db.db().get(db.queues(), utf8("dlq")));
  }

  private Future<Void> holdWriter() throws InterruptedException {
    return WriterHold.hold(writer::writeUnsynced, release, batch -> null);
  }

  private Future<Void> put(String key) {
    return WriterHold.put(writer, db, key);
  }
}
