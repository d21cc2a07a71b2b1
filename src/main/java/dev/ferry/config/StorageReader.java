package dev.ferry.config;

/** Reads the {@code storage} section: which backend keeps the messages, and where. */
final class StorageReader {
  private StorageReader() {}

  static FerryConfig.Storage read(ConfigSection s) {
    String kind = s.nonEmptyString("kind");
    if (!kind.isEmpty() && !kind.equals("embedded")) {
      // The Redis store is not written yet; accepting "redis" now would fail later, far from the
      // cause.
      s.problem(
          "kind",
          "must be \"embedded\" (the only store available), got "
              + ConfigValues.describe(kind, false));
    }
    return new FerryConfig.Storage(kind, s.fsPath("dataDir"));
  }
}
