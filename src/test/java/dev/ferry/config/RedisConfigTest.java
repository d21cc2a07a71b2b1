package dev.ferry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code storage.kind: "redis"} and {@code storage.redis}: defaults, checks, environment. */
class RedisConfigTest {

  private static JsonObject redis(JsonObject redis) {
    return TestTrees.valid()
        .put("storage", new JsonObject().put("kind", "redis").put("redis", redis));
  }

  private static String failure(JsonObject tree) {
    return assertThrows(ConfigException.class, () -> FerryConfig.from(tree)).getMessage();
  }

  @Test
  void defaults_are_standalone_with_64_partitions_under_the_ferry_prefix() {
    FerryConfig config = FerryConfig.from(TestTrees.valid());
    assertEquals("embedded", config.storage().kind());
    assertEquals(RedisConfig.DEFAULTS, config.storage().redis());
    assertEquals(
        new RedisConfig(
            List.of(), "standalone", "", "", "ferry:", 64, 0, java.time.Duration.ofSeconds(10)),
        config.storage().redis());
  }

  @Test
  void kind_redis_is_accepted_with_an_endpoint() {
    FerryConfig config =
        FerryConfig.from(
            redis(
                new JsonObject()
                    .put("endpoints", new JsonArray().add("redis://:pw@127.0.0.1:6380/2"))
                    .put("keyPrefix", "blue:")
                    .put("partitions", 128)
                    .put("waitReplicas", 1)
                    .put("leaseTime", "3s")));
    assertEquals("redis", config.storage().kind());
    RedisConfig redis = config.storage().redis();
    assertEquals(List.of("redis://:pw@127.0.0.1:6380/2"), redis.endpoints());
    assertEquals("blue:", redis.keyPrefix());
    assertEquals(128, redis.partitions());
    assertEquals(1, redis.waitReplicas());
    assertEquals(java.time.Duration.ofSeconds(3), redis.leaseTime());
  }

  @Test
  void a_lease_shorter_than_a_second_is_refused_naming_the_key() {
    assertEquals(
        "storage.redis.leaseTime: must be at least 1s, got \"500ms\"",
        failure(
            redis(
                new JsonObject()
                    .put("endpoints", new JsonArray().add("redis://127.0.0.1:6380"))
                    .put("leaseTime", "500ms"))));
  }

  @Test
  void kind_redis_without_endpoints_fails_naming_the_key_and_the_variable() {
    assertEquals(
        "storage.redis.endpoints: must name at least one redis:// or rediss:// URL when"
            + " storage.kind is \"redis\" (or set FERRY_STORAGE_REDIS_ENDPOINTS)",
        failure(redis(new JsonObject())));
  }

  @Test
  void other_kinds_are_refused_naming_both_accepted_values() {
    String message =
        failure(TestTrees.valid().put("storage", new JsonObject().put("kind", "postgres")));
    assertEquals("storage.kind: must be one of \"embedded\", \"redis\", got \"postgres\"", message);
  }

  @Test
  void bad_endpoints_are_named_without_their_password() {
    String message =
        failure(
            redis(
                new JsonObject()
                    .put("endpoints", new JsonArray().add("http://user:secret@h:1"))
                    .put("mode", "cluster")));
    assertTrue(
        message.contains(
            "storage.redis.endpoints: entry 0 must start with redis:// or rediss://, got"
                + " \"http://user:***@h:1\""),
        message);
    assertFalse(message.contains("secret"), message);
  }

  @Test
  void partitions_mode_and_sentinel_master_are_checked() {
    String message =
        failure(
            redis(
                new JsonObject()
                    .put("endpoints", new JsonArray().add("redis://h:26379"))
                    .put("mode", "sentinel")
                    .put("partitions", 2000)
                    .put("keyPrefix", "a{b}")));
    assertTrue(
        message.contains("storage.redis.partitions: must be an integer in 1..1024"), message);
    assertTrue(
        message.contains(
            "storage.redis.masterName: must name the primary when mode is \"sentinel\""),
        message);
    assertTrue(message.contains("storage.redis.keyPrefix: must not contain '{' or '}'"), message);
    assertTrue(
        failure(
                redis(
                    new JsonObject()
                        .put("endpoints", new JsonArray().add("redis://a:1").add("redis://b:1"))))
            .contains("must name exactly one server in mode \"standalone\", got 2"));
  }

  @Test
  void an_embedded_store_ignores_missing_endpoints() {
    FerryConfig config =
        FerryConfig.from(
            TestTrees.valid()
                .put(
                    "storage",
                    new JsonObject().put("redis", new JsonObject().put("mode", "cluster"))));
    assertEquals("cluster", config.storage().redis().mode());
  }

  @Test
  void environment_variables_set_endpoints_comma_separated_and_the_password() {
    JsonObject tree =
        EnvOverrides.apply(
            TestTrees.valid(),
            Map.of(
                "FERRY_STORAGE_KIND", "redis",
                "FERRY_STORAGE_REDIS_ENDPOINTS", "redis://127.0.0.1:6379",
                "FERRY_STORAGE_REDIS_PASSWORD", "s3cret"));
    RedisConfig redis = FerryConfig.from(tree).storage().redis();
    assertEquals(List.of("redis://127.0.0.1:6379"), redis.endpoints());
    assertEquals("s3cret", redis.password());
    assertFalse(redis.toString().contains("s3cret"), redis.toString());
  }
}
