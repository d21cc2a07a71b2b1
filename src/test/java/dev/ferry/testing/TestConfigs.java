package dev.ferry.testing;

import dev.ferry.config.FerryConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A test's configuration by key name, read through {@link FerryConfig#from} as a config file would
 * be (so a value the file could not hold fails here, naming its key): start from {@link
 * TestFerry}'s tree, change the keys the test is about, build.
 *
 * <pre>{@code
 * TestConfigs.of(dir).set("limits.maxBatchEntries", 2).set("overload.retryAfter", "3s").build()
 * }</pre>
 */
public final class TestConfigs {
  private final JsonObject tree;

  private TestConfigs(JsonObject tree) {
    this.tree = tree;
  }

  /** {@link TestFerry}'s configuration over {@code dataDir} ({@link TestFerry#configTree}). */
  public static TestConfigs of(Path dataDir) {
    return new TestConfigs(TestFerry.configTree(dataDir));
  }

  /**
   * Sets the value at a dotted key path ({@code "delivery.tls.caPath"}), creating the sections on
   * the way. A {@link Duration} is written in ISO-8601 ({@code "PT3S"}), a {@link Path} as its
   * text, a {@link List} as a JSON list; anything else as JSON has it.
   */
  public TestConfigs set(String path, Object value) {
    String[] keys = path.split("\\.");
    JsonObject section = tree;
    for (int i = 0; i < keys.length - 1; i++) {
      JsonObject next = section.getJsonObject(keys[i]);
      if (next == null) {
        next = new JsonObject();
        section.put(keys[i], next);
      }
      section = next;
    }
    section.put(keys[keys.length - 1], json(value));
    return this;
  }

  /** The {@code destinations} section (SSRF policy) as the record says, key by key. */
  public TestConfigs destinations(FerryConfig.Destinations d) {
    return set("destinations.mode", d.mode())
        .set("destinations.allowCidrs", d.allowCidrs())
        .set("destinations.allowHosts", d.allowHosts())
        .set("destinations.denyCidrs", d.denyCidrs())
        .set("destinations.dangerouslyAllowMetadata", d.dangerouslyAllowMetadata());
  }

  /** The tenants, replacing TestFerry's two; see {@link #tenant}. */
  public TestConfigs tenants(JsonObject... tenants) {
    return set("tenants", new JsonArray(List.of((Object[]) tenants)));
  }

  /**
   * @throws dev.ferry.config.ConfigException naming every bad value by its key path
   */
  public FerryConfig build() {
    return FerryConfig.from(tree);
  }

  /** One entry of {@code tenants}: a name, one token and both signing keys. */
  public static JsonObject tenant(String name, String token, String currentKey, String nextKey) {
    return new JsonObject()
        .put("name", name)
        .put("tokens", new JsonArray().add(token))
        .put("currentSigningKey", currentKey)
        .put("nextSigningKey", nextKey);
  }

  /**
   * {@code config} with another storage slice, not checked by the reader: for tests of what Ferry
   * itself does with a value the config file could not hold.
   */
  public static FerryConfig withStorage(FerryConfig config, FerryConfig.Storage storage) {
    return new FerryConfig(
        config.http(),
        storage,
        config.delivery(),
        config.limits(),
        config.metrics(),
        config.logging(),
        config.logs(),
        config.dlq(),
        config.destinations(),
        config.requests(),
        config.overload(),
        config.startup(),
        config.shutdown(),
        config.isolation(),
        config.tenants());
  }

  private static Object json(Object value) {
    if (value instanceof Duration duration) return duration.toString();
    if (value instanceof Path path) return path.toString();
    if (value instanceof List<?> list) return new JsonArray(List.copyOf(list));
    return value;
  }
}
