package dev.ferry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvOverridesTest {

  private static FerryConfig load(JsonObject tree, Map<String, String> env) {
    return FerryConfig.from(EnvOverrides.apply(tree, env));
  }

  private static String failure(JsonObject tree, Map<String, String> env) {
    return assertThrows(ConfigException.class, () -> EnvOverrides.apply(tree, env)).getMessage();
  }

  @Test
  void integers_strings_and_durations_override_the_file() {
    JsonObject file =
        TestTrees.valid().put("http", new JsonObject().put("port", 7000).put("host", "127.0.0.1"));

    FerryConfig config =
        load(
            file,
            Map.of(
                "FERRY_HTTP_PORT", "7070",
                "FERRY_HTTP_DRAIN_TIMEOUT", "1m",
                "FERRY_STORAGE_DATA_DIR", "/srv/ferry",
                "FERRY_DELIVERY_MAX_RESPONSE_BODY_BYTES", "1024",
                "FERRY_LIMITS_MAX_MESSAGE_BYTES", " 3000000 "));

    assertEquals(7070, config.http().port());
    assertEquals("127.0.0.1", config.http().host());
    assertEquals(Duration.ofMinutes(1), config.http().drainTimeout());
    assertEquals(Path.of("/srv/ferry"), config.storage().dataDir());
    assertEquals(1024, config.delivery().maxResponseBodyBytes());
    assertEquals(3_000_000L, config.limits().maxMessageBytes());
  }

  @Test
  void numbers_are_stored_as_numbers_not_strings() {
    JsonObject tree =
        EnvOverrides.apply(
            TestTrees.valid(), Map.of("FERRY_LIMITS_MAX_REQUEST_BYTES", "5000000000"));

    assertEquals(5_000_000_000L, tree.getJsonObject("limits").getValue("maxRequestBytes"));
  }

  @Test
  void tokens_take_a_comma_separated_list() {
    FerryConfig config = load(TestTrees.valid(), Map.of("FERRY_TENANTS_0_TOKENS", "t1, t2,,t3 "));

    assertEquals(List.of("t1", "t2", "t3"), config.tenants().get(0).tokens());
  }

  @Test
  void tokens_take_a_json_array() {
    FerryConfig config =
        load(TestTrees.valid(), Map.of("FERRY_TENANTS_0_TOKENS", "[\"a,b\", \"c\"]"));

    assertEquals(List.of("a,b", "c"), config.tenants().get(0).tokens());
  }

  @Test
  void a_broken_json_array_is_named_without_echoing_the_secret() {
    String message =
        failure(TestTrees.valid(), Map.of("FERRY_TENANTS_0_TOKENS", "[\"secret-token\""));

    assertTrue(
        message.startsWith(
            "FERRY_TENANTS_0_TOKENS (tenants[0].tokens): must be a comma-separated list"),
        message);
    assertFalse(message.contains("secret-token"), message);
  }

  @Test
  void the_shipped_tenant_gets_its_secrets_from_the_environment() {
    FerryConfig config = load(new JsonObject(), TestTrees.SHIPPED_SECRETS);

    assertEquals(
        List.of(new FerryConfig.Tenant("default", List.of("tok-a"), "sig_current", "sig_next")),
        config.tenants());
  }

  @Test
  void a_tenant_can_be_added_by_environment_alone() {
    Map<String, String> env = new HashMap<>(TestTrees.SHIPPED_SECRETS);
    env.putAll(
        Map.of(
            "FERRY_TENANTS_1_NAME", "second",
            "FERRY_TENANTS_1_TOKENS", "tok-b",
            "FERRY_TENANTS_1_CURRENT_SIGNING_KEY", "sig_b1",
            "FERRY_TENANTS_1_NEXT_SIGNING_KEY", "sig_b2",
            "FERRY_TENANTS_2_NAME", "third",
            "FERRY_TENANTS_2_TOKENS", "tok-c",
            "FERRY_TENANTS_2_CURRENT_SIGNING_KEY", "sig_c1",
            "FERRY_TENANTS_2_NEXT_SIGNING_KEY", "sig_c2"));

    FerryConfig config = load(new JsonObject(), env);

    assertEquals(
        List.of("default", "second", "third"),
        config.tenants().stream().map(FerryConfig.Tenant::name).toList());
    assertEquals(
        new FerryConfig.Tenant("third", List.of("tok-c"), "sig_c1", "sig_c2"),
        config.tenants().get(2));
  }

  @Test
  void an_appended_tenant_missing_keys_is_reported_by_the_reader() {
    String message =
        assertThrows(
                ConfigException.class,
                () -> load(TestTrees.valid(), Map.of("FERRY_TENANTS_1_NAME", "half")))
            .getMessage();

    assertTrue(
        message.contains("FERRY_TENANTS_1_TOKENS, FERRY_TENANTS_1_CURRENT_SIGNING_KEY"), message);
  }

  @Test
  void a_tenant_index_beyond_the_next_is_unknown() {
    String message = failure(TestTrees.valid(), Map.of("FERRY_TENANTS_2_NAME", "gap"));

    assertTrue(
        message.startsWith(
            "FERRY_TENANTS_2_NAME: unknown configuration variable (there are 1 tenants"),
        message);
    assertTrue(message.contains("a new tenant takes index 1"), message);
  }

  @Test
  void an_unknown_ferry_variable_is_named_with_its_siblings() {
    String message = failure(TestTrees.valid(), Map.of("FERRY_HTTP_PROT", "80"));

    assertTrue(
        message.startsWith(
            "FERRY_HTTP_PROT: unknown configuration variable (known in this section: "
                + "FERRY_HTTP_HOST, FERRY_HTTP_PORT"),
        message);
  }

  @Test
  void an_unknown_section_lists_the_sections() {
    String message = failure(TestTrees.valid(), Map.of("FERRY_REDIS_URL", "redis://x"));

    assertTrue(message.startsWith("FERRY_REDIS_URL: unknown configuration variable"), message);
    assertTrue(message.contains("FERRY_HTTP_*, FERRY_STORAGE_*"), message);
  }

  @Test
  void logging_and_metrics_are_set_by_variables() {
    FerryConfig config =
        FerryConfig.from(
            EnvOverrides.apply(
                TestTrees.valid(),
                Map.of(
                    "FERRY_LOGGING_FORMAT",
                    "json",
                    "FERRY_LOGGING_ACCESS_LOG",
                    "true",
                    "FERRY_METRICS_ENABLED",
                    "false")));

    assertEquals("json", config.logging().format());
    assertTrue(config.logging().accessLog());
    assertFalse(config.metrics().enabled());
  }

  @Test
  void a_section_name_alone_is_not_a_variable() {
    assertTrue(
        failure(TestTrees.valid(), Map.of("FERRY_HTTP", "{}")).startsWith("FERRY_HTTP: unknown"));
  }

  @Test
  void a_non_number_for_a_number_names_variable_and_key() {
    assertEquals(
        "FERRY_LIMITS_MAX_BATCH_ENTRIES (limits.maxBatchEntries): must be an integer, got \"abc\"",
        failure(TestTrees.valid(), Map.of("FERRY_LIMITS_MAX_BATCH_ENTRIES", "abc")));
  }

  @Test
  void range_errors_of_env_values_name_the_key() {
    String message =
        assertThrows(
                ConfigException.class,
                () -> load(TestTrees.valid(), Map.of("FERRY_HTTP_PORT", "70000")))
            .getMessage();

    assertEquals("http.port: must be an integer in 0..65535, got 70000", message);
  }

  @Test
  void all_bad_variables_are_reported_together() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                EnvOverrides.apply(
                    TestTrees.valid(), Map.of("FERRY_NOPE", "1", "FERRY_HTTP_PORT", "x")));

    assertEquals(2, e.problems().size());
  }

  @Test
  void other_variables_are_ignored_and_the_input_is_not_modified() {
    JsonObject file = TestTrees.valid();
    JsonObject before = file.copy();

    JsonObject tree =
        EnvOverrides.apply(file, Map.of("PATH", "/bin", "FERRYMAN", "x", "FERRY_HTTP_PORT", "1"));

    assertEquals(before, file);
    assertEquals(1, tree.getJsonObject("http").getInteger("port"));
    assertEquals(
        new JsonArray().add("token-acme"),
        tree.getJsonArray("tenants").getJsonObject(0).getJsonArray("tokens"));
  }

  @Test
  void env_names_follow_the_key_path() {
    assertEquals(
        "FERRY_DELIVERY_MAX_RESPONSE_BODY_BYTES",
        ConfigPath.ROOT.key("delivery").key("maxResponseBodyBytes").envName());
    assertEquals(
        "FERRY_TENANTS_0_CURRENT_SIGNING_KEY",
        ConfigPath.ROOT.key("tenants").index(0).key("currentSigningKey").envName());
    assertEquals(
        "tenants[0].currentSigningKey",
        ConfigPath.ROOT.key("tenants").index(0).key("currentSigningKey").toString());
  }
}
