package dev.ferry.store.embedded;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one store's RocksDB back to taking writes after a write failed. Runs on that store's
 * writer thread, which reports each write ({@link #failed}, {@link #succeeded}) and, while writes
 * fail, wakes at least every {@link #waitMillis} to call {@link #check}.
 *
 * <p>After a failed write (typically ENOSPC while appending to the WAL) RocksDB refuses every write
 * until it recovers. It recovers from running out of space by itself, retrying every 5 s, but only
 * once the volume has as much free as its largest memtable (32 MB for either store) however little
 * the recovery needs, and from other I/O errors not at all. So once the volume has had room ({@code
 * roomBytes}) for {@link #REOPEN_AFTER_NANOS} and a probe write still fails, the DB is closed and
 * opened again in place. Nothing acknowledged is lost: every acknowledged write is in the WAL and
 * replayed on open, while the failed append was never acknowledged and its torn record is dropped.
 * A reopen that fails for lack of space is tried again later; one that fails for another reason
 * (damage found on open, an unreadable directory) is tried again too, and meanwhile {@link
 * #unrecoverable} fails liveness so the orchestrator restarts Ferry (a restart opens with the full
 * checks, and explains damage).
 */
final class WriteRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(WriteRecovery.class);

  /**
   * How often a store whose writes fail is looked at: free space, a probe write, maybe a reopen.
   */
  static final long CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** RocksDB's own recovery polls every 5 s: it gets two chances before the store is reopened. */
  static final long REOPEN_AFTER_NANOS = TimeUnit.SECONDS.toNanos(10);

  /**
   * The least free space counted as room when no larger reserve is configured: a reopen replays the
   * WAL's unflushed writes into table files, and with less than this it would most likely run out
   * again at once.
   */
  static final long MIN_ROOM_BYTES = 16L * 1024 * 1024;

  private final ReopenableDb db;
  private final DiskSpace disk;
  private final long roomBytes;
  private final WriteOptions probeOptions;
  // writer thread only
  private boolean failing;
  private long failingSince;
  private long nextCheck;

  /** Since when (System.nanoTime) the volume has had room, 0 while it has not. */
  private long roomSince;

  private long nextReopen;

  /**
   * Why the store is closed and could not be reopened; null while it is open or only short of
   * space.
   */
  private volatile String unrecoverable;

  /**
   * @param disk the volume the store lives on (asked even when no disk reserve is configured)
   * @param reserveBytes free space below which the store writes nothing anyway; room is at least
   *     this
   * @param probeOptions how the probe write is written (the store's own write options)
   */
  WriteRecovery(ReopenableDb db, DiskSpace disk, long reserveBytes, WriteOptions probeOptions) {
    this.db = db;
    this.disk = disk;
    this.roomBytes = Math.max(reserveBytes, MIN_ROOM_BYTES);
    this.probeOptions = probeOptions;
  }

  /** A write failed: from now on {@link #check} looks after the store. */
  void failed(Exception cause) {
    if (failing) return;
    long now = System.nanoTime();
    failing = true;
    failingSince = now;
    nextCheck = now + CHECK_NANOS;
    roomSince = 0;
    nextReopen = now;
    LOG.error(
        "{} failed a write ({}); it refuses writes until RocksDB recovers by itself once space returns, or "
            + "until it is reopened in place {} s after the volume has {} MB free",
        db.name(),
        cause.getMessage(),
        TimeUnit.NANOSECONDS.toSeconds(REOPEN_AFTER_NANOS),
        roomBytes / (1024 * 1024));
  }

  /** A write went through. */
  void succeeded() {
    if (failing) recovered("RocksDB recovered by itself");
  }

  boolean failing() {
    return failing;
  }

  /** How long the writer thread may wait for work before it must call {@link #check}. */
  long waitMillis() {
    if (!failing) return Long.MAX_VALUE;
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextCheck - System.nanoTime()));
  }

  /**
   * While writes fail, at most once per {@link #CHECK_NANOS}: probes the store and reopens it when
   * it is stuck.
   */
  void check() {
    long now = System.nanoTime();
    if (!failing || now - nextCheck < 0) return;
    nextCheck = now + CHECK_NANOS;
    if (disk.usableBytes() < roomBytes) {
      roomSince = 0; // without space neither RocksDB's recovery nor a reopen gets far
      return;
    }
    if (roomSince == 0) roomSince = now;
    if (db.isOpen()) {
      try {
        db.probe(probeOptions);
        recovered("RocksDB recovered by itself");
        return;
      } catch (RocksDBException | RuntimeException e) {
        if (now - roomSince < REOPEN_AFTER_NANOS)
          return; // still in its error state: give it its chance
      }
    }
    if (now - nextReopen < 0) return;
    nextReopen = now + REOPEN_AFTER_NANOS;
    reopen(now);
  }

  private void reopen(long started) {
    try {
      db.reopen();
      unrecoverable = null;
      LOG.info(
          "{} reopened in place in {} ms",
          db.name(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      recovered("reopened in place");
    } catch (Exception e) {
      if (noSpace(e)) {
        unrecoverable = null; // a restart would lack the same space: wait for it here
        LOG.warn(
            "{} could not be reopened for lack of space ({}); tried again in {} s",
            db.name(),
            e.getMessage(),
            TimeUnit.NANOSECONDS.toSeconds(REOPEN_AFTER_NANOS));
        return;
      }
      unrecoverable = db.name() + " could not be reopened after a write error: " + e.getMessage();
      LOG.error(
          "{}; it stays closed and is tried again in {} s, and liveness fails so that Ferry is restarted",
          unrecoverable,
          TimeUnit.NANOSECONDS.toSeconds(REOPEN_AFTER_NANOS));
    }
  }

  private void recovered(String how) {
    LOG.info(
        "{} takes writes again, {} ms after its first failed write ({})",
        db.name(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - failingSince),
        how);
    failing = false;
    roomSince = 0;
  }

  /**
   * Why the store is closed for good unless Ferry restarts (liveness); empty while it works or only
   * lacks space.
   */
  Optional<String> unrecoverable() {
    return Optional.ofNullable(unrecoverable);
  }

  private static boolean noSpace(Throwable e) {
    if (e instanceof RocksDBException r
        && r.getStatus() != null
        && r.getStatus().getSubCode() == Status.SubCode.NoSpace) {
      return true;
    }
    return e.getMessage() != null && e.getMessage().contains("No space left");
  }
}
