package dev.ferry.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Remembers URLs that passed {@link DestinationPath#validateUrl}, so that publishing to the same
 * destinations again and again (the common case, and every entry of a typical batch) does not pay
 * for URI parsing each time. Bounded (least recently used out); a URL that fails validation is
 * never remembered. One per handler instance: confined to its event loop, not thread-safe.
 */
public final class ValidatedUrls implements UnaryOperator<String> {
  private static final int CAPACITY = 4096;

  private final Map<String, String> valid =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > CAPACITY;
        }
      };

  /** The validated URL (as {@link DestinationPath#validateUrl} returns it), or its exception. */
  @Override
  public String apply(String url) {
    String known = valid.get(url);
    if (known != null) return known;
    String checked = DestinationPath.validateUrl(url);
    valid.put(url, checked);
    return checked;
  }
}
