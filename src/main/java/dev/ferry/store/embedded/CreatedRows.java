package dev.ferry.store.embedded;

import dev.ferry.store.codec.LogCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Gathers the log's CREATED entries into rows as the log writer adds them to one batch: consecutive
 * entries of one tenant at consecutive positions share a row (see {@link LogCodec}), whether they
 * came in one append or in many single publishes drained together, so a writer batch of single
 * publishes costs the log a row per millisecond of publishes rather than a row per publish. Writer
 * thread only.
 */
final class CreatedRows {
  /** Bounds one row (about 100 KB of ids). */
  private static final int MAX_IDS = 4096;

  private final WriteBatch batch;
  private final ColumnFamilyHandle events;
  private final Map<String, byte[]> prefixes;
  private final List<String> ids = new ArrayList<>();
  private String tenant;
  private long first;

  CreatedRows(WriteBatch batch, ColumnFamilyHandle events, Map<String, byte[]> prefixes) {
    this.batch = batch;
    this.events = events;
    this.prefixes = prefixes;
  }

  /**
   * The CREATED entry of message {@code id} at {@code position}; joins the open row when it
   * continues it.
   */
  void add(String tenant, long position, String id) throws RocksDBException {
    if (!ids.isEmpty()
        && (!tenant.equals(this.tenant)
            || position != first + ids.size()
            || ids.size() == MAX_IDS)) {
      flush();
    }
    if (ids.isEmpty()) {
      this.tenant = tenant;
      first = position;
    }
    ids.add(id);
  }

  /** Puts the open row, if any, into the batch. */
  void flush() throws RocksDBException {
    if (ids.isEmpty()) return;
    byte[] prefix = prefixes.computeIfAbsent(tenant, Keys::tenantPrefix);
    batch.put(events, LogCodec.key(prefix, first), LogCodec.encodeCreated(ids));
    ids.clear();
  }
}
