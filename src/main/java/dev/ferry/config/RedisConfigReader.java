package dev.ferry.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/**
 * Reads and checks {@code storage.redis}. Endpoints are required only when {@code storage.kind} is
 * {@code "redis"}; their credentials never appear in an error message. Part of {@link
 * ConfigReader}.
 */
final class RedisConfigReader {
  private RedisConfigReader() {}

  static RedisConfig read(ConfigSection s, boolean inUse) {
    List<String> endpoints = s.strings("endpoints");
    for (int i = 0; i < endpoints.size(); i++) {
      String problem = endpointProblem(endpoints.get(i));
      if (problem != null) {
        s.problem("endpoints", "entry " + i + " " + problem);
      }
    }
    String mode = s.oneOf("mode", RedisConfig.MODES);
    String masterName = s.string("masterName");
    String keyPrefix = s.string("keyPrefix");
    if (keyPrefix.indexOf('{') >= 0 || keyPrefix.indexOf('}') >= 0) {
      // the prefix goes inside every key's hash tag: a brace would end the tag early
      s.problem("keyPrefix", "must not contain '{' or '}', got \"" + keyPrefix + "\"");
    }
    RedisConfig config =
        new RedisConfig(
            endpoints,
            mode,
            masterName,
            s.string("password"),
            keyPrefix,
            s.intIn("partitions", 1, RedisConfig.MAX_PARTITIONS),
            s.intIn("waitReplicas", 0, 100),
            leaseTime(s));
    if (!inUse) return config;
    if (endpoints.isEmpty() && s.raw("endpoints") instanceof io.vertx.core.json.JsonArray) {
      s.problem(
          "endpoints",
          "must name at least one redis:// or rediss:// URL when storage.kind is \"redis\""
              + " (or set FERRY_STORAGE_REDIS_ENDPOINTS)");
    }
    if (mode.equals(RedisConfig.STANDALONE) && endpoints.size() > 1) {
      s.problem(
          "endpoints",
          "must name exactly one server in mode \"standalone\", got " + endpoints.size());
    }
    if (mode.equals(RedisConfig.SENTINEL) && masterName.isBlank()) {
      s.problem("masterName", "must name the primary when mode is \"sentinel\"");
    }
    return config;
  }

  /**
   * At least a second: a lease is renewed every fifth of it, and a replica stops using it one
   * renewal early, so shorter leases spend their time renewing and are lost on a slow round trip.
   */
  private static java.time.Duration leaseTime(ConfigSection s) {
    java.time.Duration lease = s.duration("leaseTime", true);
    if (lease.compareTo(java.time.Duration.ofSeconds(1)) < 0) {
      s.problem("leaseTime", "must be at least 1s, got \"" + s.raw("leaseTime") + "\"");
    }
    return lease;
  }

  /** Why {@code endpoint} is not a Redis URL, or null when it is one. */
  static String endpointProblem(String endpoint) {
    String shown = "\"" + redacted(endpoint) + "\"";
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (URISyntaxException e) {
      return "is not a URL: " + shown;
    }
    String scheme = uri.getScheme();
    if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
      return "must start with redis:// or rediss://, got " + shown;
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return "must name a host, got " + shown;
    }
    String path = uri.getPath();
    if (path != null && !path.isEmpty() && !path.equals("/") && !path.matches("/[0-9]{1,2}")) {
      return "may only name a database number after the host (/0../15), got " + shown;
    }
    return null;
  }

  /** The endpoint with any password replaced by {@code ***}. */
  static String redacted(String endpoint) {
    int scheme = endpoint.indexOf("://");
    int at = endpoint.lastIndexOf('@');
    if (scheme < 0 || at < scheme) return endpoint;
    String userInfo = endpoint.substring(scheme + 3, at);
    int colon = userInfo.indexOf(':');
    String user = colon < 0 ? "" : userInfo.substring(0, colon);
    return endpoint.substring(0, scheme + 3) + user + ":***" + endpoint.substring(at);
  }
}
