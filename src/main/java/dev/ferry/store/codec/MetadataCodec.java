package dev.ferry.store.codec;

import dev.ferry.model.Endpoint;
import dev.ferry.model.FlowControlSettings;
import dev.ferry.model.Queue;
import dev.ferry.model.SigningKeys;
import dev.ferry.model.UrlGroup;
import dev.ferry.store.SigningKeyStore.StoredKeys;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON form of the small metadata records (queues, URL groups, signing keys). They are written
 * rarely, so readable and naturally evolvable (unknown keys are ignored, missing keys read as
 * defaults) beats compact. Pure, any thread.
 */
public final class MetadataCodec {
  private MetadataCodec() {}

  public static byte[] encode(Queue q) {
    return bytes(
        new JsonObject()
            .put("tenant", q.tenant())
            .put("name", q.name())
            .put("parallelism", q.parallelism())
            .put("paused", q.paused())
            .put("createdAt", q.createdAt())
            .put("updatedAt", q.updatedAt()));
  }

  public static Queue decodeQueue(byte[] bytes) {
    JsonObject j = json(bytes);
    return new Queue(
        j.getString("tenant"),
        j.getString("name"),
        j.getInteger("parallelism", 1),
        j.getBoolean("paused", false),
        j.getLong("createdAt", 0L),
        j.getLong("updatedAt", 0L));
  }

  public static byte[] encode(FlowControlSettings s) {
    return bytes(
        new JsonObject()
            .put("tenant", s.tenant())
            .put("key", s.key())
            .put("paused", s.paused())
            .put("pinnedParallelism", s.pinnedParallelism())
            .put("parallelism", s.parallelism())
            .put("pinnedRate", s.pinnedRate())
            .put("rate", s.rate())
            .put("period", s.periodSeconds()));
  }

  public static FlowControlSettings decodeFlowControlSettings(byte[] bytes) {
    JsonObject j = json(bytes);
    return new FlowControlSettings(
        j.getString("tenant"),
        j.getString("key"),
        j.getBoolean("paused", false),
        j.getBoolean("pinnedParallelism", false),
        j.getInteger("parallelism", 0),
        j.getBoolean("pinnedRate", false),
        j.getInteger("rate", 0),
        j.getLong("period", 1L));
  }

  public static byte[] encode(UrlGroup g) {
    JsonArray endpoints = new JsonArray();
    for (Endpoint e : g.endpoints()) {
      endpoints.add(new JsonObject().put("name", e.name()).put("url", e.url()));
    }
    JsonObject json =
        new JsonObject()
            .put("tenant", g.tenant())
            .put("name", g.name())
            .put("createdAt", g.createdAt())
            .put("updatedAt", g.updatedAt())
            .put("endpoints", endpoints);
    if (!g.headers().isEmpty()) {
      JsonObject headers = new JsonObject();
      g.headers()
          .forEach((name, values) -> headers.put(name, new JsonArray(new ArrayList<>(values))));
      json.put("headers", headers);
    }
    return bytes(json);
  }

  public static UrlGroup decodeUrlGroup(byte[] bytes) {
    JsonObject j = json(bytes);
    List<Endpoint> endpoints = new ArrayList<>();
    for (Object o : j.getJsonArray("endpoints", new JsonArray())) {
      JsonObject e = (JsonObject) o;
      endpoints.add(new Endpoint(e.getString("name"), e.getString("url")));
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    j.getJsonObject("headers", new JsonObject())
        .forEach(
            h -> {
              List<String> values = new ArrayList<>();
              ((JsonArray) h.getValue()).forEach(v -> values.add((String) v));
              headers.put(h.getKey(), values);
            });
    return new UrlGroup(
        j.getString("tenant"),
        j.getString("name"),
        j.getLong("createdAt", 0L),
        j.getLong("updatedAt", 0L),
        endpoints,
        headers);
  }

  public static byte[] encode(StoredKeys k) {
    return bytes(
        new JsonObject().put("configured", keys(k.configured())).put("active", keys(k.active())));
  }

  public static StoredKeys decodeKeys(byte[] bytes) {
    JsonObject j = json(bytes);
    return new StoredKeys(keys(j.getJsonObject("configured")), keys(j.getJsonObject("active")));
  }

  private static JsonObject keys(SigningKeys k) {
    return k == null ? null : new JsonObject().put("current", k.current()).put("next", k.next());
  }

  private static SigningKeys keys(JsonObject j) {
    return j == null ? null : new SigningKeys(j.getString("current"), j.getString("next"));
  }

  private static byte[] bytes(JsonObject j) {
    return j.toBuffer().getBytes();
  }

  private static JsonObject json(byte[] bytes) {
    return Buffer.buffer(bytes).toJsonObject();
  }
}
