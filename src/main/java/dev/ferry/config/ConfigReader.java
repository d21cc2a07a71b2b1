package dev.ferry.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a complete config tree (see {@link ConfigSchema#complete}) into the typed {@link
 * FerryConfig}, collecting every bad value before failing so one restart fixes them all. Runs once,
 * on the main thread, before Vert.x starts.
 */
final class ConfigReader {

  private static final long MAX_INT = Integer.MAX_VALUE;

  private final List<String> problems = new ArrayList<>();

  private ConfigReader() {}

  /**
   * @throws ConfigException listing every bad value by its key path
   */
  static FerryConfig read(JsonObject completeTree) {
    return new ConfigReader().readTree(completeTree);
  }

  private FerryConfig readTree(JsonObject tree) {
    FerryConfig config =
        new FerryConfig(
            http(section(tree, "http")),
            storage(section(tree, "storage")),
            delivery(section(tree, "delivery")),
            limits(section(tree, "limits")),
            metrics(section(tree, "metrics")),
            logging(section(tree, "logging")),
            new FerryConfig.Logs(
                section(tree, "logs").bool("enabled"),
                section(tree, "logs").duration("retention", true)),
            new FerryConfig.Dlq(section(tree, "dlq").duration("retention", true)),
            DestinationsReader.read(section(tree, "destinations")),
            requests(section(tree, "requests")),
            overload(section(tree, "overload")),
            new FerryConfig.Shutdown(section(tree, "shutdown").duration("gracePeriod", true)),
            new FerryConfig.Isolation(section(tree, "isolation").intIn("hostSharePercent", 1, 100)),
            new TenantReader(problems)
                .read(tree.getJsonArray("tenants"), ConfigPath.ROOT.key("tenants")));
    if (config.metrics().enabled()
        && config.metrics().port() != 0
        && config.metrics().port() == config.http().port()) {
      // the point of the management listener is to keep metrics off the port clients reach
      problems.add("metrics.port: must differ from http.port (both " + config.http().port() + ")");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return config;
  }

  private Section section(JsonObject tree, String key) {
    return new Section(tree.getJsonObject(key), ConfigPath.ROOT.key(key), problems);
  }

  private FerryConfig.Http http(Section s) {
    return new FerryConfig.Http(
        s.nonEmptyString("host"),
        s.intIn("port", 0, 65_535),
        s.intIn("instances", 0, MAX_INT),
        s.duration("drainTimeout", false),
        TlsReader.http(s.child("tls")));
  }

  private FerryConfig.Requests requests(Section s) {
    // below these floors even an ordinary SDK request (token, content type, a few Upstash-*
    // headers) would not fit
    return new FerryConfig.Requests(
        s.intIn("maxHeaders", 16, MAX_INT),
        s.intIn("maxHeaderBytes", 1024, MAX_INT),
        s.intIn("maxRequestLineBytes", 1024, MAX_INT));
  }

  private FerryConfig.Storage storage(Section s) {
    String kind = s.oneOf("kind", List.of("embedded", "redis"));
    return new FerryConfig.Storage(
        kind, s.fsPath("dataDir"), RedisConfigReader.read(s.child("redis"), kind.equals("redis")));
  }

  // Cross-key checks run only on a clean section: stand-ins for bad values would cause follow-up
  // noise.
  private FerryConfig.Delivery delivery(Section s) {
    int before = problems.size();
    FerryConfig.Delivery delivery =
        new FerryConfig.Delivery(
            s.intIn("instances", 0, MAX_INT),
            s.intIn("maxConnectionsPerHost", 1, MAX_INT),
            s.duration("defaultTimeout", true),
            s.duration("maxTimeout", true),
            s.intIn("maxResponseBodyBytes", 0, MAX_INT),
            s.intIn("maxInFlight", 1, MAX_INT),
            s.duration("horizon", true),
            s.intIn("globalParallelism", 0, MAX_INT),
            TlsReader.delivery(s.child("tls")));
    if (problems.size() == before
        && delivery.maxTimeout().compareTo(delivery.defaultTimeout()) < 0) {
      problems.add(
          s.path.key("maxTimeout") + ": must not be shorter than " + s.path.key("defaultTimeout"));
    }
    return delivery;
  }

  private FerryConfig.Limits limits(Section s) {
    int before = problems.size();
    // A message body is held in one Buffer, which is int-sized; a whole request (batch) need not
    // be.
    FerryConfig.Limits limits =
        new FerryConfig.Limits(
            s.longIn("maxMessageBytes", 1, MAX_INT),
            s.longIn("maxRequestBytes", 1, Long.MAX_VALUE),
            s.intIn("maxBatchEntries", 1, MAX_INT),
            s.intIn("defaultRetries", 0, MAX_INT),
            s.intIn("maxRetries", 0, MAX_INT),
            s.duration("maxDelay", true),
            s.intIn("maxQueues", 0, MAX_INT),
            s.intIn("maxQueueParallelism", 1, MAX_INT),
            s.intIn("maxUrlGroups", 0, MAX_INT),
            s.intIn("maxEndpointsPerGroup", 1, MAX_INT),
            s.duration("dedupWindow", true),
            s.intIn("maxSchedules", 0, MAX_INT));
    boolean clean = problems.size() == before;
    if (clean && limits.maxRequestBytes() < limits.maxMessageBytes()) {
      problems.add(
          s.path.key("maxRequestBytes")
              + ": must not be smaller than "
              + s.path.key("maxMessageBytes"));
    }
    if (clean && limits.defaultRetries() > limits.maxRetries()) {
      problems.add(
          s.path.key("defaultRetries") + ": must not be larger than " + s.path.key("maxRetries"));
    }
    return limits;
  }

  private FerryConfig.Overload overload(Section s) {
    return new FerryConfig.Overload(
        s.intIn("maxInFlightRequests", 1, MAX_INT),
        s.longIn("maxInFlightRequestBytes", 0, Long.MAX_VALUE),
        s.intIn("maxPendingWrites", 1, MAX_INT),
        s.longIn("minFreeDiskBytes", 0, Long.MAX_VALUE),
        s.intIn("maxDueInMemory", 1, MAX_INT),
        s.longIn("maxDeliveryBytes", 0, Long.MAX_VALUE),
        s.intIn("maxFlowControlWaiting", 1, MAX_INT),
        s.intIn("maxFlowControlKeys", 1, MAX_INT),
        s.duration("retryAfter", true));
  }

  private FerryConfig.Metrics metrics(Section s) {
    return new FerryConfig.Metrics(
        s.bool("enabled"),
        s.nonEmptyString("host"),
        s.intIn("port", 0, 65_535),
        s.intIn("maxDestinationHosts", 0, MAX_INT));
  }

  private FerryConfig.Logging logging(Section s) {
    return new FerryConfig.Logging(
        s.oneOf("format", List.of("text", "json")),
        s.oneOf("level", List.of("trace", "debug", "info", "warn", "error")),
        s.bool("accessLog"),
        s.intIn("failedAttemptsPerSecond", 0, MAX_INT));
  }

  /**
   * One object of the tree and its path; each getter records a problem and returns a harmless
   * stand-in if bad.
   */
  static final class Section {
    final JsonObject json;
    final ConfigPath path;
    private final List<String> problems;

    Section(JsonObject json, ConfigPath path, List<String> problems) {
      this.json = json;
      this.path = path;
      this.problems = problems;
    }

    /** A nested section, e.g. {@code http.tls}. */
    Section child(String key) {
      return new Section(json.getJsonObject(key), path.key(key), problems);
    }

    Object raw(String key) {
      return json.getValue(key);
    }

    void problem(String key, String text) {
      problems.add(path.key(key) + ": " + text);
    }

    private String got(String key) {
      return ", got " + ConfigValues.describe(raw(key), ConfigValues.isSecret(path.key(key)));
    }

    String string(String key) {
      if (raw(key) instanceof String value) {
        return value;
      }
      problem(key, "must be a string" + got(key));
      return "";
    }

    String nonEmptyString(String key) {
      String value = string(key);
      if (raw(key) instanceof String && value.isBlank()) {
        problem(key, "must not be empty");
      }
      return value;
    }

    boolean bool(String key) {
      if (raw(key) instanceof Boolean value) {
        return value;
      }
      problem(key, "must be true or false" + got(key));
      return false;
    }

    /** One of the given strings (the first is the stand-in when bad). */
    String oneOf(String key, List<String> allowed) {
      String value = string(key);
      if (raw(key) instanceof String && !allowed.contains(value)) {
        problem(
            key,
            "must be one of "
                + String.join(", ", allowed.stream().map(a -> "\"" + a + "\"").toList())
                + got(key));
        return allowed.get(0);
      }
      return raw(key) instanceof String ? value : allowed.get(0);
    }

    int intIn(String key, long min, long max) {
      return (int) longIn(key, min, max);
    }

    long longIn(String key, long min, long max) {
      Object value = raw(key);
      boolean integral =
          value instanceof Integer || value instanceof Long || value instanceof BigInteger;
      if (integral
          && new BigInteger(value.toString()).compareTo(BigInteger.valueOf(min)) >= 0
          && new BigInteger(value.toString()).compareTo(BigInteger.valueOf(max)) <= 0) {
        return ((Number) value).longValue();
      }
      if (integral
          && new BigInteger(value.toString()).compareTo(BigInteger.valueOf(min)) >= 0
          && max >= MAX_INT) {
        problem(key, "must be at most " + max + got(key));
        return min;
      }
      String expected =
          min == 1 && max >= MAX_INT
              ? "a positive integer"
              : min == 0 && max >= MAX_INT
                  ? "a non-negative integer"
                  : "an integer in " + min + ".." + max;
      problem(key, "must be " + expected + got(key));
      return min;
    }

    Duration duration(String key, boolean positive) {
      Object value = raw(key);
      if (value instanceof String text) {
        try {
          Duration duration = ConfigDurations.parse(text);
          if (duration.isNegative() || (positive && duration.isZero())) {
            problem(
                key,
                "must be a " + (positive ? "positive" : "non-negative") + " duration" + got(key));
            return Duration.ofSeconds(1);
          }
          return duration;
        } catch (IllegalArgumentException bad) {
          // fall through to the common message
        }
      }
      problem(
          key,
          "must be a duration such as \"10s\", \"15m\", \"2h\", \"365d\" or \"1h30m\"" + got(key));
      return Duration.ofSeconds(1);
    }

    Path fsPath(String key) {
      String value = nonEmptyString(key);
      try {
        return Path.of(value);
      } catch (InvalidPathException bad) {
        problem(key, "is not a valid path (" + bad.getReason() + ")" + got(key));
        return Path.of(".");
      }
    }

    /** A list of non-blank strings. */
    List<String> strings(String key) {
      if (!(raw(key) instanceof JsonArray list)) {
        problem(key, "must be a list of strings" + got(key));
        return List.of();
      }
      List<String> values = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        Object item = list.getValue(i);
        ConfigPath itemPath = path.key(key).index(i);
        if (!(item instanceof String text)) {
          problems.add(
              itemPath
                  + ": must be a string, got "
                  + ConfigValues.describe(item, ConfigValues.isSecret(itemPath)));
        } else if (text.isBlank()) {
          problems.add(itemPath + ": must not be empty");
        } else {
          values.add(text);
        }
      }
      return values;
    }
  }
}
