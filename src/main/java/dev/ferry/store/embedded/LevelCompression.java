package dev.ferry.store.embedded;

import java.util.List;
import org.rocksdb.CompressionType;

/**
 * How both stores compress their table files, level by level (docs/architecture.md, "Store
 * compression"). Files keep the compression they were written with: RocksDB reads any, so a store
 * opened with another list reads its files as they are.
 */
final class LevelCompression {
  /**
   * LZ4 on every level: the message store's, and either store's after a failed write.
   *
   * <p>The message store's records are mostly keyed in the order they are written (a message's id
   * holds its due time, and most messages are due now or after a common delay), so its table files
   * rarely overlap, and RocksDB hands such a file to the next level without rewriting it: a
   * "trivial move", which it makes only between levels compressed alike. With levels 0 and 1 left
   * uncompressed every record that outlived level 1 was read and written again to be compressed:
   * 0.7–0.9 µs of compaction per message in the batch row, none with one compression on every level
   * (loadtest/RESULTS.md, 2026-12-07 18:30).
   *
   * <p>After a write failed and a store is reopened in place, its volume was full: opening replays
   * the unflushed writes into level-0 files, which uncompressed would need as much room as the
   * memtables they came from. Compressed, they fit the room a reopen waits for ({@code
   * WriteRecovery}).
   */
  static final List<CompressionType> EVERY_LEVEL =
      List.of(
          CompressionType.LZ4_COMPRESSION,
          CompressionType.LZ4_COMPRESSION,
          CompressionType.LZ4_COMPRESSION);

  /**
   * The log store at a start: levels 0 and 1 uncompressed, deeper levels LZ4, so an entry is
   * compressed once. With RocksDB's default (Snappy on every level) each flush and each early
   * compaction compressed them again (loadtest/RESULTS.md, 2026-12-07 10:50); LZ4 on every level
   * made no difference the delivery row could show (2026-12-07 18:30).
   */
  static final List<CompressionType> LOG_FIRST_LEVELS_PLAIN =
      List.of(
          CompressionType.NO_COMPRESSION,
          CompressionType.NO_COMPRESSION,
          CompressionType.LZ4_COMPRESSION);

  /** The log store's compression when opened: at start, or in place after a failed write. */
  static List<CompressionType> ofLog(boolean reopenedAfterFailedWrite) {
    return reopenedAfterFailedWrite ? EVERY_LEVEL : LOG_FIRST_LEVELS_PLAIN;
  }

  private LevelCompression() {}
}
