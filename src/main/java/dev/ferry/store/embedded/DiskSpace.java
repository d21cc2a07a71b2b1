package dev.ferry.store.embedded;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Free space on the store's volume, asked by the writer thread before each group commit (one statfs
 * call).
 */
@FunctionalInterface
interface DiskSpace {
  Logger LOG = LoggerFactory.getLogger(DiskSpace.class);

  /** Never runs out (no check). */
  DiskSpace UNLIMITED = () -> Long.MAX_VALUE;

  long usableBytes();

  /**
   * The volume holding {@code dir}; if it cannot be asked, the check is off (logged), not a refusal
   * of every write.
   */
  static DiskSpace of(Path dir) {
    FileStore store;
    try {
      store = Files.getFileStore(dir);
    } catch (IOException e) {
      LOG.warn(
          "cannot read the free space of {} ({}); the disk reserve is not checked",
          dir,
          e.toString());
      return UNLIMITED;
    }
    return () -> {
      try {
        return store.getUsableSpace();
      } catch (IOException e) {
        return Long
            .MAX_VALUE; // unknown: let RocksDB report a real failure rather than refusing on a
        // guess
      }
    };
  }
}
