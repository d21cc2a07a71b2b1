package dev.ferry.store.embedded;

import static dev.ferry.store.embedded.Keys.utf8;

import io.vertx.core.Future;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * What the writer tests share: a write that keeps the writer thread busy until released, and a
 * plain put.
 */
final class WriterHold {
  private WriterHold() {}

  /**
   * Submits through {@code submit} (e.g. {@code writer::write}) a write that blocks the writer
   * thread until {@code release} opens and then applies {@code then}; returns once the writer is
   * inside it, so writes made after this call pile up behind it.
   */
  static Future<Void> hold(
      Function<RocksWriter.Step<Void>, Future<Void>> submit,
      CountDownLatch release,
      RocksWriter.Step<Void> then)
      throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    Future<Void> holding =
        submit.apply(
            batch -> {
              started.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return then.apply(batch);
            });
    started.await();
    return holding;
  }

  /** A synced put of {@code key} → "v" in the queues column family. */
  static Future<Void> put(RocksWriter writer, EmbeddedDb db, String key) {
    return writer.write(
        batch -> {
          batch.put(db.queues(), utf8(key), utf8("v"));
          return null;
        });
  }
}
