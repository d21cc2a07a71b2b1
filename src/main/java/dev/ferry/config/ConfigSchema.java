package dev.ferry.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shape of the config tree and every built-in default, as JSON: the schema that file keys and
 * {@code FERRY_*} variables are checked against. {@code conf/ferry.json} repeats these values so
 * operators can see them.
 */
final class ConfigSchema {

  private ConfigSchema() {}

  /**
   * The built-in defaults: the same tree as the shipped {@code conf/ferry.json}. A fresh copy on
   * every call.
   */
  static JsonObject defaults() {
    return new JsonObject()
        .put(
            "http",
            new JsonObject()
                .put("host", "0.0.0.0")
                .put("port", 8080)
                .put("instances", 0)
                .put("drainTimeout", "10s")
                .put(
                    "tls",
                    new JsonObject()
                        .put("enabled", false)
                        .put("certPath", "")
                        .put("keyPath", "")
                        .put("http2", true)
                        .put("minVersion", "TLSv1.2")))
        .put(
            "storage",
            new JsonObject()
                .put("kind", "embedded")
                .put("dataDir", "data")
                .put(
                    "redis",
                    new JsonObject()
                        .put("endpoints", new JsonArray())
                        .put("mode", "standalone")
                        .put("masterName", "")
                        .put("password", "")
                        .put("keyPrefix", "ferry:")
                        .put("partitions", 64)
                        .put("waitReplicas", 0)
                        .put("leaseTime", "10s")))
        .put(
            "delivery",
            new JsonObject()
                .put("instances", 0)
                .put("maxConnectionsPerHost", 64)
                .put("defaultTimeout", "15m")
                .put("maxTimeout", "2h")
                .put("maxResponseBodyBytes", 262_144)
                .put("maxInFlight", 10_000)
                .put("horizon", "5m")
                .put("globalParallelism", 0)
                .put("tls", new JsonObject().put("caPath", "").put("minVersion", "TLSv1.2")))
        .put(
            "limits",
            new JsonObject()
                .put("maxMessageBytes", 10_485_760L)
                .put("maxRequestBytes", 104_857_600L)
                .put("maxBatchEntries", 1000)
                .put("defaultRetries", 3)
                .put("maxRetries", 100)
                .put("maxDelay", "365d")
                .put("maxQueues", 1000)
                .put("maxQueueParallelism", 100)
                .put("maxUrlGroups", 1000)
                .put("maxEndpointsPerGroup", 1000)
                .put("dedupWindow", "10m")
                .put("maxSchedules", 1000))
        .put(
            "metrics",
            new JsonObject()
                .put("enabled", true)
                .put("host", "0.0.0.0")
                .put("port", 9090)
                .put("maxDestinationHosts", 100))
        .put(
            "logging",
            new JsonObject()
                .put("format", "text")
                .put("level", "info")
                .put("accessLog", false)
                .put("failedAttemptsPerSecond", 10))
        .put("logs", new JsonObject().put("enabled", true).put("retention", "7d"))
        .put("dlq", new JsonObject().put("retention", "7d"))
        .put("workflows", WorkflowsConfig.defaults())
        .put(
            "destinations",
            new JsonObject()
                .put("mode", "default")
                .put("allowCidrs", new JsonArray())
                .put("allowHosts", new JsonArray())
                .put("denyCidrs", new JsonArray())
                .put("dangerouslyAllowMetadata", false))
        .put(
            "requests",
            new JsonObject()
                .put("maxHeaders", 100)
                .put("maxHeaderBytes", 16_384)
                .put("maxRequestLineBytes", 16_384))
        .put(
            "overload",
            new JsonObject()
                .put("maxInFlightRequests", 4096)
                .put("maxInFlightRequestBytes", 0)
                .put("maxPendingWrites", 20_000)
                .put("minFreeDiskBytes", 268_435_456L)
                .put("maxDueInMemory", 1_000_000)
                .put("maxDeliveryBytes", 0)
                .put("maxFlowControlWaiting", 10_000)
                .put("maxFlowControlKeys", 100_000)
                .put("retryAfter", "1s"))
        .put("startup", new JsonObject().put("warmUp", "0s"))
        .put("shutdown", new JsonObject().put("gracePeriod", "30s"))
        .put("isolation", new JsonObject().put("hostSharePercent", 25))
        // One tenant without credentials: they are secrets, so they come from the environment (or
        // --dev).
        .put("tenants", new JsonArray().add(tenantTemplate().put("name", "default")));
  }

  /**
   * What a tenant entry looks like; missing keys of a tenant in a file or appended by env take
   * these values.
   */
  static JsonObject tenantTemplate() {
    return new JsonObject()
        .put("name", "")
        .put("tokens", new JsonArray())
        .put("currentSigningKey", "")
        .put("nextSigningKey", "");
  }

  /**
   * Template of the elements of a list of objects at {@code path} (only {@code tenants}), empty for
   * other paths.
   */
  static Optional<JsonObject> elementTemplate(ConfigPath path) {
    return path.equals(ConfigPath.ROOT.key("tenants"))
        ? Optional.of(tenantTemplate())
        : Optional.empty();
  }

  /**
   * The default value at {@code path}, reading through list indexes into element templates; empty
   * if no such key.
   */
  static Optional<Object> defaultAt(ConfigPath path) {
    Object node = defaults();
    ConfigPath walked = ConfigPath.ROOT;
    for (Object segment : path.segments()) {
      if (segment instanceof Integer) {
        Optional<JsonObject> template = elementTemplate(walked);
        if (template.isEmpty()) {
          return Optional.empty();
        }
        node = template.get();
        walked = walked.index((Integer) segment);
      } else if (node instanceof JsonObject object && object.containsKey((String) segment)) {
        node = object.getValue((String) segment);
        walked = walked.key((String) segment);
      } else {
        return Optional.empty();
      }
    }
    return Optional.of(node);
  }

  /**
   * Merges a (possibly partial) tree onto the defaults. Lists replace the default list whole (a
   * file's tenants replace the built-in "default" tenant); each list element is merged onto its
   * template. Leaf values are copied unchecked: {@link ConfigReader} judges them.
   *
   * @throws ConfigException naming every unknown key and every section that is not an object/list
   */
  static JsonObject complete(JsonObject partial) {
    List<String> problems = new ArrayList<>();
    JsonObject complete =
        merge(
            defaults(),
            partial == null ? new JsonObject() : partial.copy(),
            ConfigPath.ROOT,
            problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return complete;
  }

  private static JsonObject merge(
      JsonObject defaults, JsonObject given, ConfigPath path, List<String> problems) {
    JsonObject result = defaults.copy();
    for (Map.Entry<String, Object> entry : given) {
      ConfigPath keyPath = path.key(entry.getKey());
      if (!defaults.containsKey(entry.getKey())) {
        problems.add(
            keyPath
                + ": unknown key (known keys"
                + (path.equals(ConfigPath.ROOT) ? "" : " of " + path)
                + ": "
                + String.join(", ", defaults.fieldNames())
                + ")");
        continue;
      }
      Object defaultValue = defaults.getValue(entry.getKey());
      Object value = entry.getValue();
      Optional<JsonObject> template = elementTemplate(keyPath);
      if (defaultValue instanceof JsonObject section) {
        if (value instanceof JsonObject object) {
          result.put(entry.getKey(), merge(section, object, keyPath, problems));
        } else {
          problems.add(keyPath + ": must be an object, got " + ConfigValues.describe(value, false));
        }
      } else if (template.isPresent()) {
        if (value instanceof JsonArray list) {
          result.put(entry.getKey(), mergeElements(template.get(), list, keyPath, problems));
        } else {
          problems.add(
              keyPath + ": must be a list of objects, got " + ConfigValues.describe(value, false));
        }
      } else {
        result.put(entry.getKey(), value);
      }
    }
    return result;
  }

  private static JsonArray mergeElements(
      JsonObject template, JsonArray given, ConfigPath path, List<String> problems) {
    JsonArray merged = new JsonArray();
    for (int i = 0; i < given.size(); i++) {
      if (given.getValue(i) instanceof JsonObject element) {
        merged.add(merge(template, element, path.index(i), problems));
      } else {
        problems.add(
            path.index(i)
                + ": must be an object, got "
                + ConfigValues.describe(given.getValue(i), false));
      }
    }
    return merged;
  }
}
