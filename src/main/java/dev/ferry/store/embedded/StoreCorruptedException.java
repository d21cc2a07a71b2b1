package dev.ferry.store.embedded;

import dev.ferry.store.StoreDamagedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/**
 * The embedded store failed a checksum (a write-ahead-log record or an SST block): Ferry refuses to
 * start rather than serve with acknowledged messages silently missing. The message names the
 * directory, what RocksDB found (with the damaged file when RocksDB's own log names it) and what
 * the operator can do. No stack trace: it is not a bug.
 */
public final class StoreCorruptedException extends StoreDamagedException {
  private static final long serialVersionUID = 1L;

  StoreCorruptedException(String message) {
    super(message);
  }

  /**
   * Whether {@code e} is RocksDB reporting damaged data (as opposed to, say, a full disk or a held
   * lock).
   */
  static boolean isCorruption(RocksDBException e) {
    Status status = e.getStatus();
    return status != null && status.getCode() == Status.Code.Corruption;
  }

  /** The refusal for store {@code dir}, whose opening or verification failed with {@code e}. */
  static StoreCorruptedException of(Path dir, RocksDBException e) {
    String found = e.getMessage();
    List<String> logged = corruptionLinesOfRocksLog(dir);
    if (!logged.isEmpty())
      found += "; RocksDB's log " + dir.resolve("LOG") + " says: " + String.join(" | ", logged);
    return new StoreCorruptedException(
        "the embedded store in "
            + dir
            + " is corrupted: "
            + found
            + ". Ferry did "
            + "not start, so that no acknowledged message goes missing without notice (a torn last record of the "
            + "write-ahead log is repaired on its own; this is damage inside data that was written completely). "
            + "What to do: keep a copy of the directory; then restore "
            + dir
            + " from a backup, or, when the damaged "
            + "file is a write-ahead log (NNNNNN.log), run `java -jar ferry.jar repair-store --data-dir "
            + dir
            + "`, "
            + "which replays every log record that passes its checksum and drops the damaged one with the rest of its "
            + "32 KiB block (the messages in them are lost), and start Ferry again. Damage in a table file (.sst) can "
            + "only be restored from a backup.");
  }

  /**
   * The last few lines of RocksDB's info log that name a damaged file ("dropping N bytes;
   * Corruption: ...").
   */
  private static List<String> corruptionLinesOfRocksLog(Path dir) {
    Path log = dir.resolve("LOG");
    if (!Files.isRegularFile(log)) return List.of();
    try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
      List<String> found =
          lines
              .filter(l -> l.contains("Corruption") || l.contains("dropping"))
              .map(
                  l ->
                      l.replaceFirst("^\\S+ \\S+ \\S+ ", "")
                          .trim()) // without RocksDB's timestamp and thread id
              .toList();
      return found.subList(Math.max(0, found.size() - 3), found.size());
    } catch (IOException | java.io.UncheckedIOException e) {
      return List.of();
    }
  }
}
