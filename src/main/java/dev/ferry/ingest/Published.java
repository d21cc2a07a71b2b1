package dev.ferry.ingest;

import java.util.List;

/**
 * What one accepted publish produced: one message for a URL, one per endpoint for a URL group (then
 * {@code fanOut} is true and the API answers with an array).
 */
public record Published(boolean fanOut, List<Item> items) {

  /** One stored message. */
  public record Item(String messageId, String url, boolean deduplicated) {}
}
