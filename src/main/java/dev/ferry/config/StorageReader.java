package dev.ferry.config;

import java.util.List;

/** Reads the {@code storage} section: which backend keeps the messages, and where. */
final class StorageReader {
  private StorageReader() {}

  static FerryConfig.Storage read(ConfigSection s) {
    String kind = s.oneOf("kind", List.of("embedded", "redis"));
    return new FerryConfig.Storage(
        kind, s.fsPath("dataDir"), RedisConfigReader.read(s.child("redis"), "redis".equals(kind)));
  }
}
