package dev.ferry.store.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rocksdb.RocksDBException;
import org.rocksdb.WALRecoveryMode;

/**
 * {@code ferry repair-store}: the operator's way past a {@link StoreCorruptedException} caused by a
 * damaged write-ahead log. Opens the store once replaying every record that passes its checksum and
 * skipping the damaged ones (their messages are lost), which writes what was recovered into table
 * files, then closes it; the next normal start finds a clean store. Damage inside a table file
 * (.sst) cannot be salvaged record by record: it still fails the verification, and the answer is a
 * restore from backup.
 */
public final class StoreRepair {
  private StoreRepair() {}

  /**
   * Repairs the store in {@code dataDir}; throws {@link StoreCorruptedException} when it cannot.
   */
  public static void repair(Path dataDir) throws RocksDBException, IOException {
    if (!Files.isRegularFile(dataDir.resolve("CURRENT"))) {
      throw new IOException("no embedded store in " + dataDir + " (no CURRENT file)");
    }
    EmbeddedDb.open(dataDir, WALRecoveryMode.SkipAnyCorruptedRecords).close();
  }
}
