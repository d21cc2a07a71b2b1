package dev.ferry.store.embedded;

import java.util.List;
import org.rocksdb.CompressionType;

/**
 * How both stores compress their table files, level by level (docs/architecture.md, "Store
 * compression"). Files keep the compression they were written with: RocksDB reads any, so a store
 * opened with the other list reads its files as they are.
 */
final class LevelCompression {
  /**
   * Levels 0 and 1 uncompressed, deeper levels LZ4: a record is compressed once, if it lives long
   * enough to reach level 2. Most messages are deleted within seconds, before a compaction reads
   * them again; the log's entries stay, and with RocksDB's default (Snappy on every level) each
   * flush and each early compaction compressed them again (loadtest/RESULTS.md, 2026-12-07 10:50).
   */
  static final List<CompressionType> USUAL =
      List.of(
          CompressionType.NO_COMPRESSION,
          CompressionType.NO_COMPRESSION,
          CompressionType.LZ4_COMPRESSION);

  /**
   * After a write failed and the store is reopened in place, its volume was full: opening replays
   * the unflushed writes into level-0 files, which uncompressed need as much room as the memtables
   * they came from (up to 48 MB for the log). Compressed, they fit the room a reopen waits for
   * ({@code WriteRecovery}). Until the next start the store keeps compressing every level.
   */
  static final List<CompressionType> SHORT_OF_SPACE =
      List.of(
          CompressionType.LZ4_COMPRESSION,
          CompressionType.LZ4_COMPRESSION,
          CompressionType.LZ4_COMPRESSION);

  /** The compression of a store being opened: at start, or in place after a failed write. */
  static List<CompressionType> of(boolean reopenedAfterFailedWrite) {
    return reopenedAfterFailedWrite ? SHORT_OF_SPACE : USUAL;
  }

  private LevelCompression() {}
}
