package dev.ferry.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The destination carried in the raw request URI of {@code /v2/publish/{destination}} and {@code
 * /v2/enqueue/{queue}/{destination}} (docs/compatibility.md#destinations-in-the-path), split from
 * the webhook-mode parameters that ride in the same query string. Pure and thread-safe; called by
 * the publish/enqueue handlers with {@code request.uri()} (never a normalized path, which collapses
 * {@code //}).
 *
 * <p>Rules, including Ferry's decisions where QStash is silent:
 *
 * <ul>
 *   <li>The destination is the path remainder plus the query string, byte for byte: nothing is
 *       re-encoded or reordered. A fragment ({@code #...}) is dropped, since HTTP clients never
 *       send one. A {@code ?} is kept only if parameters remain.
 *   <li>Removed from the query and returned separately: {@code qstash_token} (name matched
 *       case-insensitively, so a mistyped token is never forwarded; the first occurrence wins;
 *       {@code %XX} decoded, {@code +} kept literally because tokens are base64) and every
 *       parameter whose name starts with {@code upstash-} (case-insensitive; returned with
 *       lower-case names; the first occurrence wins; values decoded as Go's {@code url.ParseQuery}
 *       does: {@code %XX} and {@code +} = space). A malformed value is a 400.
 *   <li>A collapsed {@code https:/host} is restored to {@code https://host}. A percent-encoded
 *       destination ({@code https%3A%2F%2F...} or {@code https:%2F%2F...}) is decoded exactly once
 *       (a double-encoded one is not recognised, so it is refused like any other non-URL,
 *       non-name); a query inside the encoded part belongs to the destination and is not scanned
 *       for {@code upstash-*} parameters, while the request's own query still is (its remaining
 *       parameters are appended).
 *   <li>A remainder starting with {@code http://} or {@code https://} (scheme case-insensitive) is
 *       a URL, checked by {@link #validateUrl}; anything else must be a URL-group name ({@link
 *       #isValidName}), and a group name with leftover query parameters is refused rather than
 *       silently dropping them.
 * </ul>
 *
 * @param queueName queue segment of an enqueue URI, null for publish
 * @param destination the destination URL, or the URL-group name
 * @param isUrl true for an http(s) URL, false for a URL-group name
 * @param config {@code upstash-*} query parameters, lower-case names, decoded values, in request
 *     order
 * @param qstashToken the {@code qstash_token} query parameter (decoded), or null
 */
public record DestinationPath(
    String queueName,
    String destination,
    boolean isUrl,
    Map<String, String> config,
    String qstashToken) {
  /** Prefix of publish request URIs. */
  public static final String PUBLISH_PREFIX = "/v2/publish/";

  /** Prefix of enqueue request URIs. */
  public static final String ENQUEUE_PREFIX = "/v2/enqueue/";

  /** Longest accepted destination URL. */
  public static final int MAX_URL_LENGTH = 4096;

  /** Longest accepted queue / URL-group name. */
  public static final int MAX_NAME_LENGTH = 256;

  static final String INVALID = "invalid destination url: ";
  static final String BAD_SCHEME = INVALID + "endpoint has invalid scheme, add http:// or https://";
  private static final String TOKEN_PARAM = "qstash_token";
  private static final String CONFIG_PREFIX = "upstash-";

  public DestinationPath {
    config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
  }

  /** True when the destination is a URL-group name. */
  public boolean isUrlGroup() {
    return !isUrl;
  }

  /** The destination URL, or null for a URL group. */
  public String url() {
    return isUrl ? destination : null;
  }

  /** The URL-group name, or null for a URL. */
  public String urlGroup() {
    return isUrl ? null : destination;
  }

  /**
   * Classifies a destination given as a whole string (a batch entry's {@code destination}): an
   * http(s) URL, kept as it is apart from validation (its query is the destination's own), or a
   * URL-group name.
   *
   * @throws IllegalArgumentException with a message fit for a 400 body
   */
  public static DestinationPath classify(String destination) {
    return classify(destination, DestinationPath::validateUrl);
  }

  /** {@link #classify(String)} with a given URL validator (e.g. a {@link ValidatedUrls} cache). */
  public static DestinationPath classify(String destination, UnaryOperator<String> validator) {
    if (startsWithIgnoreCase(destination, "http://")
        || startsWithIgnoreCase(destination, "https://")) {
      return new DestinationPath(null, validator.apply(destination), true, Map.of(), null);
    }
    if (isValidName(destination)) {
      return new DestinationPath(null, destination, false, Map.of(), null);
    }
    throw new IllegalArgumentException(
        destination.indexOf(':') >= 0 || destination.indexOf('/') >= 0
            ? BAD_SCHEME
            : INVALID
                + "\""
                + shown(destination)
                + "\" is neither an http(s) URL nor a valid URL group name");
  }

  /**
   * Parses a publish-style URI: {@code rawUri} must start with {@code prefix} (e.g. {@link
   * #PUBLISH_PREFIX}).
   *
   * @throws IllegalArgumentException with a message fit for a 400 body
   */
  public static DestinationPath parse(String rawUri, String prefix) {
    return parse(rawUri, prefix, DestinationPath::validateUrl);
  }

  /**
   * {@link #parse(String, String)} with a given URL validator (e.g. a {@link ValidatedUrls} cache).
   */
  public static DestinationPath parse(
      String rawUri, String prefix, UnaryOperator<String> validator) {
    return parseRemainder(null, remainder(rawUri, prefix), validator);
  }

  /**
   * Parses {@code /v2/enqueue/{queue}/{destination}}: the first segment is the queue name,
   * validated with {@link #isValidName}; the rest is parsed as in {@link #parse}.
   */
  public static DestinationPath parseEnqueue(String rawUri) {
    return parseEnqueue(rawUri, DestinationPath::validateUrl);
  }

  /**
   * {@link #parseEnqueue(String)} with a given URL validator (e.g. a {@link ValidatedUrls} cache).
   */
  public static DestinationPath parseEnqueue(String rawUri, UnaryOperator<String> validator) {
    String rest = remainder(rawUri, ENQUEUE_PREFIX);
    int end = 0;
    while (end < rest.length() && rest.charAt(end) != '/' && rest.charAt(end) != '?') {
      end++;
    }
    String queue = rest.substring(0, end);
    if (!isValidName(queue)) {
      throw new IllegalArgumentException(
          "invalid queue name \""
              + shown(queue)
              + "\": use 1 to "
              + MAX_NAME_LENGTH
              + " characters of A-Z a-z 0-9 - _ .");
    }
    if (end == rest.length() || rest.charAt(end) != '/') {
      throw new IllegalArgumentException(INVALID + "destination is missing");
    }
    return parseRemainder(queue, rest.substring(end + 1), validator);
  }

  /**
   * Validates an http(s) URL (a destination, a URL-group endpoint, a callback) and returns it
   * without its fragment; otherwise unchanged. Rules: at most {@link #MAX_URL_LENGTH} characters;
   * printable ASCII only (no whitespace or control characters; non-ASCII must be percent-encoded,
   * hosts punycoded); scheme http or https; a host (DNS name, underscores allowed as Go allows
   * them, IPv4 as a canonical dotted quad, or bracketed IPv6 without zone id); an optional port
   * 1-65535 (an empty port means the default, as in Go); no user-info (decision: credentials in
   * URLs are refused; use {@code Upstash-Forward-Authorization}); well-formed {@code %XX} escapes
   * in the path. Characters such as {@code { } | [ ]} in path or query are accepted, as Go's parser
   * and the delivery client accept them.
   */
  public static String validateUrl(String url) {
    return DestinationUrls.validate(url);
  }

  /**
   * True for a valid queue / URL-group name: 1 to {@link #MAX_NAME_LENGTH} characters of {@code A-Z
   * a-z 0-9 - _ .} (docs/compatibility.md#names). Decision: {@code "."} and {@code ".."} are
   * refused too, because they could never be addressed in a management path such as {@code
   * /v2/queues/..}.
   */
  public static boolean isValidName(String name) {
    if (name == null
        || name.isEmpty()
        || name.length() > MAX_NAME_LENGTH
        || name.equals(".")
        || name.equals("..")) {
      return false;
    }
    return onlyNameCharacters(name);
  }

  /** Every character is an ASCII letter, digit, {@code -}, {@code _} or {@code .}. */
  static boolean onlyNameCharacters(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '.';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static String remainder(String rawUri, String prefix) {
    if (rawUri == null || prefix == null || !rawUri.startsWith(prefix)) {
      throw new IllegalArgumentException("request path does not start with " + prefix);
    }
    return rawUri.substring(prefix.length());
  }

  private static DestinationPath parseRemainder(
      String queue, String rest, UnaryOperator<String> validator) {
    int hash = rest.indexOf('#');
    if (hash >= 0) {
      rest = rest.substring(0, hash);
    }
    int question = rest.indexOf('?');
    String path = question < 0 ? rest : rest.substring(0, question);
    Map<String, String> config = new LinkedHashMap<>();
    String token = null;
    String remaining = null;
    if (question >= 0) {
      List<String> kept = new ArrayList<>();
      for (String param : rest.substring(question + 1).split("&", -1)) {
        int eq = param.indexOf('=');
        String rawName = eq < 0 ? param : param.substring(0, eq);
        String rawValue = eq < 0 ? "" : param.substring(eq + 1);
        String name = lenientDecode(rawName).toLowerCase(Locale.ROOT);
        if (name.equals(TOKEN_PARAM)) {
          if (token == null) {
            token = decodeParam(name, rawValue, false);
          }
        } else if (name.startsWith(CONFIG_PREFIX)) {
          if (!config.containsKey(name)) {
            config.put(name, decodeParam(name, rawValue, true));
          }
        } else {
          kept.add(param);
        }
      }
      String joined = String.join("&", kept);
      remaining = joined.isEmpty() ? null : joined;
    }
    if (path.isEmpty()) {
      throw new IllegalArgumentException(INVALID + "destination is missing");
    }
    String destination = destination(path, remaining);
    if (startsWithIgnoreCase(destination, "http://")
        || startsWithIgnoreCase(destination, "https://")) {
      return new DestinationPath(queue, validator.apply(destination), true, config, token);
    }
    if (isValidName(path)) {
      if (remaining != null) {
        throw new IllegalArgumentException(
            INVALID + "a URL group name cannot have query parameters");
      }
      return new DestinationPath(queue, path, false, config, token);
    }
    if (destination.indexOf(':') >= 0 || destination.indexOf('/') >= 0) {
      throw new IllegalArgumentException(BAD_SCHEME);
    }
    throw new IllegalArgumentException(
        INVALID
            + "\""
            + shown(destination)
            + "\" is neither an http(s) URL nor a valid URL group name (A-Z a-z 0-9 - _ .)");
  }

  /**
   * Rebuilds the destination from the path remainder and the query parameters that belong to it.
   */
  private static String destination(String path, String remaining) {
    String base;
    if (isEncodedUrl(path)) {
      base = percentDecode(path, false);
      if (base == null) {
        throw new IllegalArgumentException(INVALID + "malformed percent-encoding in destination");
      }
      int hash = base.indexOf('#');
      if (hash >= 0) {
        base = base.substring(0, hash);
      }
      if (remaining != null) {
        return base + (base.indexOf('?') >= 0 ? "&" : "?") + remaining;
      }
      return base;
    }
    base = restoreCollapsedSlash(path);
    return remaining == null ? base : base + "?" + remaining;
  }

  private static boolean isEncodedUrl(String path) {
    return startsWithIgnoreCase(path, "http%3a")
        || startsWithIgnoreCase(path, "https%3a")
        || startsWithIgnoreCase(path, "http:%2f")
        || startsWithIgnoreCase(path, "https:%2f");
  }

  /**
   * Proxies and some routers merge {@code //} into {@code /}; a URL never legitimately starts
   * {@code https:/x}.
   */
  private static String restoreCollapsedSlash(String path) {
    for (String scheme : new String[] {"https:/", "http:/"}) {
      if (startsWithIgnoreCase(path, scheme) && !startsWithIgnoreCase(path, scheme + "/")) {
        return path.substring(0, scheme.length()) + "/" + path.substring(scheme.length());
      }
    }
    return path;
  }

  private static String decodeParam(String name, String rawValue, boolean plusIsSpace) {
    String value = percentDecode(rawValue, plusIsSpace);
    if (value == null) {
      throw new IllegalArgumentException(
          "invalid query parameter \"" + shown(name) + "\": malformed percent-encoding");
    }
    return value;
  }

  private static String lenientDecode(String raw) {
    String decoded = percentDecode(raw, false);
    return decoded == null ? raw : decoded;
  }

  /**
   * {@code %XX} decoding as UTF-8 (invalid UTF-8 becomes U+FFFD); null when an escape is malformed.
   */
  static String percentDecode(String s, boolean plusIsSpace) {
    try {
      return URLDecoder.decode(plusIsSpace ? s : s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean startsWithIgnoreCase(String s, String prefix) {
    return s.regionMatches(true, 0, prefix, 0, prefix.length());
  }

  /**
   * Echo of user input in an error message, bounded so a hostile 8 KB value is not reflected whole.
   */
  static String shown(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }
}
