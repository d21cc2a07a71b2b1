package dev.ferry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigValidationTest {

  private static String failure(JsonObject tree) {
    return assertThrows(ConfigException.class, () -> FerryConfig.from(tree)).getMessage();
  }

  private static JsonObject validWith(String section, String key, Object value) {
    return TestTrees.valid().put(section, new JsonObject().put(key, value));
  }

  @Test
  void unknown_top_level_key_is_named() {
    String message = failure(TestTrees.valid().put("htttp", new JsonObject()));

    assertTrue(message.startsWith("htttp: unknown key"), message);
    // every section is listed; not pinned in full, so a new section does not break this test
    assertTrue(
        message.contains(
            "(known keys: http, storage, delivery, limits, metrics, logging, logs, dlq, "),
        message);
    assertTrue(message.contains(", tenants)"), message);
  }

  @Test
  void unknown_nested_key_is_named() {
    String message = failure(validWith("http", "prot", 80));

    assertTrue(
        message.startsWith("http.prot: unknown key (known keys of http: host, port"), message);
  }

  @Test
  void unknown_key_inside_a_tenant_is_named() {
    String message =
        failure(
            TestTrees.withTenants(
                TestTrees.tenant("a", "t1"), TestTrees.tenant("b", "t2").put("token", "x")));

    assertTrue(message.startsWith("tenants[1].token: unknown key"), message);
  }

  @Test
  void a_section_of_the_wrong_shape_is_named() {
    assertEquals("http: must be an object, got 8080", failure(TestTrees.valid().put("http", 8080)));
    assertEquals(
        "tenants: must be a list of objects, got \"acme\"",
        failure(new JsonObject().put("tenants", "acme")));
    assertEquals(
        "tenants[0]: must be an object, got \"acme\"",
        failure(new JsonObject().put("tenants", new JsonArray().add("acme"))));
  }

  @Test
  void the_log_format_and_level_are_one_of_a_few_words() {
    assertEquals(
        "logging.format: must be one of \"text\", \"json\", got \"xml\"",
        failure(validWith("logging", "format", "xml")));
    assertEquals(
        "logging.level: must be one of \"trace\", \"debug\", \"info\", \"warn\", \"error\", got \"loud\"",
        failure(validWith("logging", "level", "loud")));
  }

  @Test
  void a_flag_must_be_a_boolean() {
    assertEquals(
        "metrics.enabled: must be true or false, got \"yes\"",
        failure(validWith("metrics", "enabled", "yes")));
  }

  @Test
  void metrics_and_logging_keys_are_read() {
    FerryConfig config =
        FerryConfig.from(
            TestTrees.valid()
                .put(
                    "metrics",
                    new JsonObject()
                        .put("enabled", false)
                        .put("host", "127.0.0.1")
                        .put("port", 9191)
                        .put("maxDestinationHosts", 5))
                .put(
                    "logging",
                    new JsonObject()
                        .put("format", "json")
                        .put("level", "debug")
                        .put("accessLog", true)
                        .put("failedAttemptsPerSecond", 3)));

    assertEquals(new FerryConfig.Metrics(false, "127.0.0.1", 9191, 5), config.metrics());
    assertEquals(new FerryConfig.Logging("json", "debug", true, 3), config.logging());
    assertTrue(config.logging().json());
  }

  @Test
  void the_management_listener_defaults_to_port_9090_on_all_addresses() {
    FerryConfig.Metrics metrics = FerryConfig.from(TestTrees.valid()).metrics();

    assertEquals(new FerryConfig.Metrics(true, "0.0.0.0", 9090, 100), metrics);
  }

  @Test
  void the_management_port_must_not_be_the_api_port() {
    assertEquals(
        "metrics.port: must differ from http.port (both 8080)",
        failure(TestTrees.valid().put("metrics", new JsonObject().put("port", 8080))));
    assertEquals(
        "metrics.port: must be an integer in 0..65535, got 70000",
        failure(validWith("metrics", "port", 70_000)));
    // both on a free port, or metrics off: no clash
    FerryConfig.from(
        TestTrees.valid()
            .put("http", new JsonObject().put("port", 0))
            .put("metrics", new JsonObject().put("port", 0)));
    FerryConfig.from(
        TestTrees.valid().put("metrics", new JsonObject().put("enabled", false).put("port", 8080)));
  }

  @Test
  void a_string_where_an_integer_belongs_is_named_with_its_value() {
    assertEquals(
        "limits.maxBatchEntries: must be a positive integer, got \"abc\"",
        failure(validWith("limits", "maxBatchEntries", "abc")));
  }

  @Test
  void negative_sizes_are_rejected() {
    assertEquals(
        "limits.maxMessageBytes: must be a positive integer, got -1",
        failure(validWith("limits", "maxMessageBytes", -1)));
    assertEquals(
        "delivery.maxResponseBodyBytes: must be a non-negative integer, got -5",
        failure(validWith("delivery", "maxResponseBodyBytes", -5)));
    assertEquals(
        "http.instances: must be a non-negative integer, got -2",
        failure(validWith("http", "instances", -2)));
  }

  @Test
  void fractions_and_huge_numbers_are_not_integers() {
    assertEquals(
        "http.port: must be an integer in 0..65535, got 80.5",
        failure(validWith("http", "port", 80.5)));
    assertEquals(
        "limits.maxRequestBytes: must be at most 9223372036854775807, got 99999999999999999999",
        failure(
            validWith(
                "limits", "maxRequestBytes", new java.math.BigInteger("99999999999999999999"))));
  }

  @Test
  void sizes_beyond_what_a_buffer_holds_are_rejected() {
    assertEquals(
        "limits.maxMessageBytes: must be at most 2147483647, got 3000000000",
        failure(validWith("limits", "maxMessageBytes", 3_000_000_000L)));
  }

  @Test
  void port_must_be_in_range() {
    assertEquals(
        "http.port: must be an integer in 0..65535, got 65536",
        failure(validWith("http", "port", 65_536)));
    FerryConfig.from(validWith("http", "port", 0));
  }

  @Test
  void bad_and_non_positive_durations_are_named() {
    assertEquals(
        "delivery.defaultTimeout: must be a duration such as \"10s\", \"15m\", \"2h\", \"365d\" or "
            + "\"1h30m\", got \"15 minutes\"",
        failure(validWith("delivery", "defaultTimeout", "15 minutes")));
    assertTrue(
        failure(validWith("http", "drainTimeout", 10))
            .startsWith("http.drainTimeout: must be a duration"));
    assertEquals(
        "delivery.horizon: must be a positive duration, got \"0s\"",
        failure(validWith("delivery", "horizon", "0s")));
    FerryConfig.from(validWith("http", "drainTimeout", "0s"));
  }

  @Test
  void wrong_types_and_empty_strings_are_named() {
    assertEquals("http.host: must be a string, got null", failure(validWith("http", "host", null)));
    assertEquals(
        "storage.dataDir: must not be empty", failure(validWith("storage", "dataDir", "")));
    assertEquals(
        "storage.kind: must be one of \"embedded\", \"redis\", got \"rocks\"",
        failure(validWith("storage", "kind", "rocks")));
  }

  @Test
  void contradicting_limits_are_named() {
    JsonObject tree =
        TestTrees.valid()
            .put("limits", new JsonObject().put("maxRequestBytes", 10).put("defaultRetries", 200))
            .put("delivery", new JsonObject().put("maxTimeout", "1m"));

    ConfigException e = assertThrows(ConfigException.class, () -> FerryConfig.from(tree));

    assertEquals(3, e.problems().size(), e.getMessage());
    assertTrue(
        e.getMessage()
            .contains("delivery.maxTimeout: must not be shorter than delivery.defaultTimeout"));
    assertTrue(
        e.getMessage()
            .contains("limits.maxRequestBytes: must not be smaller than limits.maxMessageBytes"));
    assertTrue(
        e.getMessage()
            .contains("limits.defaultRetries: must not be larger than limits.maxRetries"));
  }

  @Test
  void every_problem_is_reported_at_once() {
    JsonObject tree =
        TestTrees.valid()
            .put("http", new JsonObject().put("port", -1).put("drainTimeout", "soon"))
            .put("limits", new JsonObject().put("maxQueues", "many"));

    assertEquals(
        3, assertThrows(ConfigException.class, () -> FerryConfig.from(tree)).problems().size());
  }

  @Test
  void empty_and_duplicate_tenant_names_are_named() {
    assertTrue(
        failure(TestTrees.withTenants(TestTrees.tenant("", "t")))
            .startsWith("tenants[0].name: must not be empty"));
    assertEquals(
        "tenants[1].name: duplicate tenant name \"a\" (also tenants[0])",
        failure(TestTrees.withTenants(TestTrees.tenant("a", "t1"), TestTrees.tenant("a", "t2"))));
    assertTrue(
        failure(TestTrees.withTenants(TestTrees.tenant("a b", "t1")))
            .startsWith("tenants[0].name: must be 1 to 64 letters"));
  }

  @Test
  void a_token_of_two_tenants_is_named_without_printing_it() {
    String message =
        failure(
            TestTrees.withTenants(
                TestTrees.tenant("a", "t1", "shared-secret"),
                TestTrees.tenant("b", "shared-secret")));

    assertEquals(
        "tenants[1].tokens[0]: this token is already used by tenants[0].tokens[1]; "
            + "a token must identify exactly one tenant",
        message);
    assertFalse(message.contains("shared-secret"));
  }

  @Test
  void empty_tokens_and_non_strings_are_named_without_printing_secrets() {
    assertEquals(
        "tenants[0].tokens[1]: must not be empty",
        failure(TestTrees.withTenants(TestTrees.tenant("a", "t1", " "))));
    assertEquals(
        "tenants[0].tokens: must be a list of strings, got a string",
        failure(TestTrees.withTenants(TestTrees.tenant("a").put("tokens", "secret-token"))));
    assertEquals(
        "tenants[0].currentSigningKey: must be a string, got a number",
        failure(TestTrees.withTenants(TestTrees.tenant("a", "t").put("currentSigningKey", 42))));
  }

  @Test
  void an_empty_signing_key_is_named_with_its_variable() {
    String message =
        failure(TestTrees.withTenants(TestTrees.tenant("a", "t").put("nextSigningKey", "")));

    assertTrue(
        message.startsWith("tenants[0] (tenant \"a\"): missing tenants[0].nextSigningKey"),
        message);
    assertTrue(message.contains("FERRY_TENANTS_0_NEXT_SIGNING_KEY"), message);
    assertFalse(message.contains("FERRY_TENANTS_0_TOKENS"), message);
  }

  @Test
  void built_in_tenant_without_credentials_names_the_three_variables_and_dev() {
    String message = failure(new JsonObject());

    assertEquals(
        "tenants[0] (tenant \"default\"): missing tenants[0].tokens, tenants[0].currentSigningKey, "
            + "tenants[0].nextSigningKey — set them in the config file or with the environment variables "
            + "FERRY_TENANTS_0_TOKENS, FERRY_TENANTS_0_CURRENT_SIGNING_KEY, FERRY_TENANTS_0_NEXT_SIGNING_KEY "
            + "(tokens comma-separated), or start with --dev to use the QStash dev server's users and keys",
        message);
  }

  @Test
  void no_tenant_at_all_is_rejected() {
    String message = failure(new JsonObject().put("tenants", new JsonArray()));

    assertTrue(message.startsWith("tenants: at least one tenant is required"), message);
    assertTrue(message.contains("FERRY_TENANTS_0_TOKENS") && message.contains("--dev"), message);
  }

  @Test
  void logs_and_dlq_keys_are_checked() {
    assertEquals(
        "logs.enabled: must be true or false, got \"yes\"",
        failure(validWith("logs", "enabled", "yes")));
    assertTrue(
        failure(validWith("logs", "retention", "0s"))
            .startsWith("logs.retention: must be a positive duration"));
    assertTrue(
        failure(validWith("dlq", "retention", "soon"))
            .startsWith("dlq.retention: must be a duration"));
  }

  @Test
  void a_warm_up_is_a_duration_of_at_most_five_minutes() {
    String tooLong = failure(validWith("startup", "warmUp", "6m"));
    assertTrue(tooLong.contains("startup.warmUp: must be at most 5m"), tooLong);
    String negative = failure(validWith("startup", "warmUp", "-1s"));
    assertTrue(negative.startsWith("startup.warmUp: "), negative);
    assertEquals(
        Duration.ofSeconds(30),
        FerryConfig.from(validWith("startup", "warmUp", "30s")).startup().warmUp());
  }
}
