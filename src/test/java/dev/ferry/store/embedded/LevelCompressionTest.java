package dev.ferry.store.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;

/**
 * Opening replays the unflushed writes into level-0 files. The message store compresses them as it
 * compresses every level. The log store leaves them uncompressed at a start, and compresses them
 * when it is reopened in place after a failed write, so that they fit the little room a full volume
 * got back.
 */
class LevelCompressionTest {
  private static final int MB = 1024 * 1024;
  private static final byte[] ZEROS = new byte[64 * 1024];

  @TempDir Path dir;

  @Test
  void a_log_store_reopened_after_a_failed_write_writes_its_replayed_entries_compressed()
      throws Exception {
    LogDb log = LogDb.open(dir);
    try {
      writeEightMegabytes(log.db(), log.snapshots());
      log.rocks().reopen();
      assertTrue(tableBytes() < MB, tableBytes() + " bytes of tables for 8 MB of zeros");
      assertArrayEquals(ZEROS, log.db().get(log.snapshots(), key(0)));
    } finally {
      log.close();
    }
  }

  @Test
  void a_log_store_started_writes_its_replayed_entries_uncompressed() throws Exception {
    LogDb log = LogDb.open(dir);
    writeEightMegabytes(log.db(), log.snapshots());
    log.close();
    log = LogDb.open(dir);
    try {
      assertTrue(tableBytes() >= 8 * MB, tableBytes() + " bytes of tables for 8 MB of zeros");
      assertArrayEquals(ZEROS, log.db().get(log.snapshots(), key(0)));
    } finally {
      log.close();
    }
  }

  @Test
  void a_message_store_writes_its_replayed_records_compressed() throws Exception {
    EmbeddedDb store = EmbeddedDb.open(dir);
    writeEightMegabytes(store.db(), store.messages());
    store.close();
    store = EmbeddedDb.open(dir);
    try {
      assertTrue(tableBytes() < MB, tableBytes() + " bytes of tables for 8 MB of zeros");
      assertArrayEquals(ZEROS, store.db().get(store.messages(), key(0)));
    } finally {
      store.close();
    }
  }

  private static void writeEightMegabytes(RocksDB db, ColumnFamilyHandle family) throws Exception {
    for (int i = 0; i < 8 * MB / ZEROS.length; i++) db.put(family, key(i), ZEROS);
  }

  private static byte[] key(int i) {
    return ("snapshot-" + i).getBytes(StandardCharsets.US_ASCII);
  }

  private long tableBytes() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.toString().endsWith(".sst"))
          .mapToLong(
              f -> {
                try {
                  return Files.size(f);
                } catch (IOException e) {
                  throw new RuntimeException(e);
                }
              })
          .sum();
    }
  }
}
