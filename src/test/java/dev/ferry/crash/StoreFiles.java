package dev.ferry.crash;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of the embedded store as a damaging test sees them: the newest write-ahead log split
 * into its physical records (RocksDB's log format: 32 KiB blocks, each record a 7-byte header —
 * CRC32C, length, type — or 11 bytes for the recyclable types, then the payload), and the table
 * files; plus the damage itself (truncate, append, flip a bit). Only for a store that is not
 * running.
 */
final class StoreFiles {
  static final int BLOCK = 32 * 1024;

  /**
   * One physical record: where its header starts, the header's size, the payload's length and the
   * record type.
   */
  record WalRecord(long offset, int headerSize, int length, int type) {
    long end() {
      return offset + headerSize + length;
    }

    long payloadMiddle() {
      return offset + headerSize + length / 2;
    }
  }

  private StoreFiles() {}

  /** The write-ahead log RocksDB was writing last ({@code NNNNNN.log} with the highest number). */
  static Path newestWal(Path dataDir) throws IOException {
    try (Stream<Path> files = Files.list(dataDir)) {
      return files
          .filter(f -> f.getFileName().toString().matches("\\d+\\.log"))
          .max(Comparator.comparing(f -> f.getFileName().toString()))
          .orElseThrow(() -> new AssertionError("no write-ahead log in " + dataDir));
    }
  }

  /** The largest table file of the store (the messages, after a recovery flushed them). */
  static Path largestSst(Path dataDir) throws IOException {
    try (Stream<Path> files = Files.list(dataDir)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".sst"))
          .max(Comparator.comparingLong(f -> f.toFile().length()))
          .orElseThrow(() -> new AssertionError("no table file in " + dataDir));
    }
  }

  static List<WalRecord> records(Path wal) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(wal)).order(ByteOrder.LITTLE_ENDIAN);
    List<WalRecord> records = new ArrayList<>();
    int pos = 0;
    while (pos + 7 <= bytes.limit()) {
      int leftInBlock = BLOCK - pos % BLOCK;
      if (leftInBlock < 7) { // a block's trailer too short for a header is padding
        pos += leftInBlock;
        continue;
      }
      int length = Short.toUnsignedInt(bytes.getShort(pos + 4));
      int type = Byte.toUnsignedInt(bytes.get(pos + 6));
      if (type == 0 && length == 0) break; // preallocated zeros: the end of what was written
      int header = (type >= 5 && type <= 8) || type == 11 ? 11 : 7;
      records.add(new WalRecord(pos, header, length, type));
      pos += header + length;
    }
    if (records.isEmpty()) throw new AssertionError("no records in " + wal);
    return records;
  }

  /**
   * Whether the payload of {@code record} holds {@code text} (a message id: message keys are its
   * UTF-8 bytes).
   */
  static boolean contains(Path wal, WalRecord record, String text) throws IOException {
    byte[] all = Files.readAllBytes(wal);
    String payload =
        new String(
            all,
            (int) record.offset() + record.headerSize(),
            record.length(),
            java.nio.charset.StandardCharsets.ISO_8859_1);
    return payload.contains(text);
  }

  static void truncate(Path file, long size) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(size);
    }
  }

  static void append(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes, java.nio.file.StandardOpenOption.APPEND);
  }

  /** Flips the lowest bit of the byte at {@code offset}. */
  static void flipBit(Path file, long offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ 1);
    }
  }
}
