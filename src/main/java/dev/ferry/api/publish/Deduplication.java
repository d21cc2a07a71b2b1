package dev.ferry.api.publish;

import dev.ferry.error.ApiException;
import dev.ferry.ingest.Published;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The dedup id of a publish (docs/compatibility.md#deduplication): {@code Upstash-Deduplication-Id}
 * as given, or with {@code Upstash-Content-Based-Deduplication: true} a SHA-256 of what QStash
 * documents as the content — the destination, the body, and the headers the destination will get
 * ({@code Content-Type} and every {@code Upstash-Forward-*}, prefix stripped, canonical names,
 * sorted by name, values in order). Method, retries, delays and other configuration are not part of
 * it. An explicit id wins when both are sent. Pure; any thread.
 */
public final class Deduplication {
  /** Longest accepted explicit id (QStash documents none; this keeps the stored key small). */
  static final int MAX_ID_LENGTH = 512;

  /**
   * Content-derived ids start with a character no header value can contain (control characters are
   * refused), so they never collide with an explicit id.
   */
  private static final String CONTENT_PREFIX = "\u0001";

  private Deduplication() {}

  /** Validates an explicit {@code Upstash-Deduplication-Id} (null when absent). */
  static String id(String value) {
    if (value == null) return null;
    String id = value.trim();
    if (id.isEmpty()) throw ApiException.badRequest("Upstash-Deduplication-Id: must not be empty");
    if (id.length() > MAX_ID_LENGTH) {
      throw ApiException.badRequest(
          "Upstash-Deduplication-Id: at most " + MAX_ID_LENGTH + " characters");
    }
    for (int i = 0; i < id.length(); i++) {
      if (Character.isISOControl(id.charAt(i))) {
        throw ApiException.badRequest(
            "Upstash-Deduplication-Id: must not contain control characters");
      }
    }
    return id;
  }

  /**
   * {@code Upstash-Content-Based-Deduplication}: true or false in any case (Python sends {@code
   * True}).
   */
  static boolean contentBased(String value) {
    if (value == null) return false;
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("true")) return true;
    if (v.equals("false") || v.isEmpty()) return false;
    throw ApiException.badRequest(
        "Upstash-Content-Based-Deduplication: must be true or false, got \""
            + (value.length() > 16 ? value.substring(0, 16) + "..." : value)
            + "\"");
  }

  /** The publish's dedup id: explicit, else content-based if asked for, else null. */
  public static String of(PublishOptions options, String destination, byte[] body) {
    if (options.deduplicationId() != null) return options.deduplicationId();
    if (!options.contentBasedDedup()) return null;
    return CONTENT_PREFIX + contentHash(destination, options.headers(), body);
  }

  /** True when the publish stored nothing: every message was a duplicate. */
  static boolean allDeduplicated(Published published) {
    for (Published.Item item : published.items()) {
      if (!item.deduplicated()) return false;
    }
    return !published.items().isEmpty();
  }

  /** Hex SHA-256 over length-prefixed parts, so no two different inputs share an encoding. */
  static String contentHash(String destination, Map<String, List<String>> headers, byte[] body) {
    MessageDigest sha = sha256();
    part(sha, destination.getBytes(StandardCharsets.UTF_8));
    List<String> names = new ArrayList<>(headers.keySet());
    names.sort(null);
    part(sha, Integer.toString(names.size()).getBytes(StandardCharsets.UTF_8));
    for (String name : names) {
      part(sha, name.getBytes(StandardCharsets.UTF_8));
      List<String> values = headers.get(name);
      part(sha, Integer.toString(values.size()).getBytes(StandardCharsets.UTF_8));
      for (String v : values) part(sha, v.getBytes(StandardCharsets.UTF_8));
    }
    part(sha, body);
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void part(MessageDigest sha, byte[] bytes) {
    int n = bytes.length;
    sha.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    sha.update(bytes);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
