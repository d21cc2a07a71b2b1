package dev.ferry.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies {@code FERRY_*} environment variables to the config tree; this is how Kubernetes passes
 * secrets. Each key has a variable named after its path: {@code http.port} → {@code
 * FERRY_HTTP_PORT}, {@code tenants[0].tokens} → {@code FERRY_TENANTS_0_TOKENS}. Called once by
 * {@link ConfigLoader}; the environment is a parameter so tests need not touch the real one.
 *
 * <p>Names are matched against the paths of the actual tree rather than split at underscores, so
 * {@code MAX_RESPONSE_BODY_BYTES} is unambiguous. {@code FERRY_TENANTS_<n>_*} with {@code n} = the
 * number of tenants appends a tenant, so a tenant can be defined by environment alone. Values are
 * converted to the type of the default: integers, booleans, strings, and string lists
 * (comma-separated, or a JSON array such as {@code ["a","b"]}). Any other {@code FERRY_*} variable
 * stops start-up, as a typo would otherwise be silently ignored, except the ones Kubernetes sets
 * for a Service named {@code ferry} or {@code ferry-*} ({@link ServiceLinks}: name and value of the
 * kubelet's exact shape), which are not configuration and are left alone. A configuration key
 * always wins over that reading: {@code FERRY_HTTP_PORT} is {@code http.port} even when a Service
 * {@code ferry-http} set it.
 */
public final class EnvOverrides {

  private EnvOverrides() {}

  /**
   * @param config a config tree, possibly partial (it is completed with the defaults first)
   * @param env the process environment; variables not starting with {@code FERRY_} are ignored
   * @return a new, complete tree with the overrides applied
   * @throws ConfigException naming every unknown {@code FERRY_*} variable and every value of the
   *     wrong type
   */
  public static JsonObject apply(JsonObject config, Map<String, String> env) {
    return apply(config, env, new ArrayList<>());
  }

  /**
   * As {@link #apply(JsonObject, Map)}, also adding to {@code ignored} the names (never the values)
   * of the Kubernetes service-link variables that were left alone, sorted.
   */
  static JsonObject apply(JsonObject config, Map<String, String> env, List<String> ignored) {
    JsonObject tree = ConfigSchema.complete(config);
    List<String> names =
        env.keySet().stream()
            .filter(name -> name.startsWith(ConfigPath.ENV_PREFIX))
            .sorted()
            .toList();
    // a service link never names a tenant key, so it must not make room for a tenant either
    appendNamedElements(
        tree,
        names.stream().filter(name -> !ServiceLinks.isServiceLink(name, env.get(name))).toList());
    Map<String, ConfigPath> known = leaves(tree);
    List<String> problems = new ArrayList<>();
    for (String name : names) {
      ConfigPath path = known.get(name);
      if (path == null) {
        if (ServiceLinks.isServiceLink(name, env.get(name))) {
          ignored.add(name);
        } else {
          problems.add(unknown(name, tree, known));
        }
        continue;
      }
      Object defaultValue = ConfigSchema.defaultAt(path).orElseThrow();
      convert(name, path, defaultValue, env.get(name), problems)
          .ifPresent(value -> set(tree, path, value));
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return tree;
  }

  /** Appends template elements to lists of objects while the environment names the next index. */
  private static void appendNamedElements(JsonObject tree, List<String> names) {
    for (String key : tree.fieldNames()) {
      ConfigPath path = ConfigPath.ROOT.key(key);
      Optional<JsonObject> template = ConfigSchema.elementTemplate(path);
      if (template.isEmpty()) {
        continue;
      }
      JsonArray list = tree.getJsonArray(key);
      Pattern indexed =
          Pattern.compile(Pattern.quote(path.envName() + "_") + "(0|[1-9][0-9]{0,8})_.*");
      while (names.stream()
          .map(indexed::matcher)
          .filter(Matcher::matches)
          .anyMatch(m -> Integer.parseInt(m.group(1)) == list.size())) {
        list.add(template.get().copy());
      }
    }
  }

  /**
   * Every leaf of the tree by its variable name; string lists (tokens) are leaves, lists of objects
   * are not.
   */
  private static Map<String, ConfigPath> leaves(JsonObject tree) {
    Map<String, ConfigPath> leaves = new LinkedHashMap<>();
    collect(tree, ConfigPath.ROOT, leaves);
    return leaves;
  }

  private static void collect(Object node, ConfigPath path, Map<String, ConfigPath> leaves) {
    if (node instanceof JsonObject object) {
      object.fieldNames().forEach(key -> collect(object.getValue(key), path.key(key), leaves));
    } else if (node instanceof JsonArray list && ConfigSchema.elementTemplate(path).isPresent()) {
      for (int i = 0; i < list.size(); i++) {
        collect(list.getValue(i), path.index(i), leaves);
      }
    } else if (leaves.put(path.envName(), path) != null) {
      throw new IllegalStateException("two config keys share the variable " + path.envName());
    }
  }

  private static String unknown(String name, JsonObject tree, Map<String, ConfigPath> known) {
    // Say what would have been accepted: a typo or a skipped tenant index is the usual cause.
    String tenants = ConfigPath.ROOT.key("tenants").envName() + "_";
    String hint;
    if (name.startsWith(tenants)) {
      int size = tree.getJsonArray("tenants").size();
      hint =
          (size == 0
                  ? "there are no tenants"
                  : "there are " + size + " tenants, indexes 0.." + (size - 1))
              + "; a new tenant takes index "
              + size
              + ", keys: NAME, TOKENS, CURRENT_SIGNING_KEY, NEXT_SIGNING_KEY";
    } else {
      String[] words = name.split("_");
      String section = words.length > 2 ? words[0] + "_" + words[1] + "_" : name;
      List<String> siblings = known.keySet().stream().filter(k -> k.startsWith(section)).toList();
      hint =
          siblings.isEmpty()
              ? "FERRY_* variables are reserved for configuration keys; sections: "
                  + String.join(
                      ", ",
                      tree.fieldNames().stream()
                          .map(key -> ConfigPath.ROOT.key(key).envName() + "_*")
                          .toList())
              : "known in this section: " + String.join(", ", siblings);
    }
    return name + ": unknown configuration variable (" + hint + ")";
  }

  private static Optional<Object> convert(
      String name, ConfigPath path, Object defaultValue, String raw, List<String> problems) {
    String where = name + " (" + path + "): ";
    String shown =
        ConfigValues.describe(raw, ConfigValues.isSecret(path)) + serviceLinkHint(name, raw);
    if (defaultValue instanceof Integer || defaultValue instanceof Long) {
      try {
        long value = Long.parseLong(raw.trim());
        return Optional.of(value == (int) value ? (Object) (int) value : (Object) value);
      } catch (NumberFormatException e) {
        problems.add(where + "must be an integer, got " + shown);
        return Optional.empty();
      }
    }
    if (defaultValue instanceof Boolean) {
      String text = raw.trim().toLowerCase(Locale.ROOT);
      if (text.equals("true") || text.equals("false")) {
        return Optional.of(Boolean.parseBoolean(text));
      }
      problems.add(where + "must be true or false, got " + shown);
      return Optional.empty();
    }
    if (defaultValue instanceof JsonArray) {
      return list(raw)
          .or(
              () -> {
                problems.add(
                    where
                        + "must be a comma-separated list or a JSON array of strings, got "
                        + shown);
                return Optional.empty();
              });
    }
    return Optional.of(raw);
  }

  /**
   * Why a configuration variable may hold a {@code tcp://} address: the kubelet set it for a
   * Service.
   */
  private static String serviceLinkHint(String name, String raw) {
    if (!ServiceLinks.isServiceLink(name, raw)) {
      return "";
    }
    String service =
        name.endsWith("_PORT") // the only shape a configuration key has had so far
            ? "a Service named "
                + name.substring(0, name.length() - 5).toLowerCase(Locale.ROOT).replace('_', '-')
            : "a Service";
    return " (Kubernetes sets this for "
        + service
        + " in the namespace: set enableServiceLinks: false in the pod"
        + " spec, or rename the Service)";
  }

  private static Optional<Object> list(String raw) {
    String text = raw.trim();
    if (text.startsWith("[")) {
      try {
        return Optional.of(new JsonArray(text));
      } catch (DecodeException e) {
        return Optional.empty();
      }
    }
    return Optional.of(
        new JsonArray(
            new ArrayList<>(
                Arrays.stream(text.split(","))
                    .map(String::trim)
                    .filter(item -> !item.isEmpty())
                    .toList())));
  }

  private static void set(JsonObject tree, ConfigPath path, Object value) {
    Object node = tree;
    List<Object> segments = path.segments();
    for (Object segment : segments.subList(0, segments.size() - 1)) {
      node =
          segment instanceof Integer index
              ? ((JsonArray) node).getValue(index)
              : ((JsonObject) node).getValue((String) segment);
    }
    ((JsonObject) node).put((String) segments.get(segments.size() - 1), value);
  }
}
