package dev.ferry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path dir;

  private Path write(JsonObject json) throws IOException {
    return Files.writeString(dir.resolve("ferry.json"), json.encodePrettily());
  }

  private static String failure(String[] args, Map<String, String> env) {
    return assertThrows(ConfigException.class, () -> ConfigLoader.load(args, env)).getMessage();
  }

  @Test
  void the_shipped_file_loads_with_secrets_from_the_environment() {
    // Surefire runs in the repository root, where conf/ferry.json is the default --config.
    FerryConfig config = ConfigLoader.load(new String[0], TestTrees.SHIPPED_SECRETS);

    assertEquals(
        FerryConfig.defaults()
            .withTenants(
                List.of(
                    new FerryConfig.Tenant(
                        "default", List.of("tok-a"), "sig_current", "sig_next"))),
        config);
  }

  @Test
  void the_shipped_file_without_secrets_names_the_variables_and_dev() {
    String message = failure(new String[0], Map.of());

    assertTrue(message.contains("FERRY_TENANTS_0_TOKENS"), message);
    assertTrue(message.contains("FERRY_TENANTS_0_CURRENT_SIGNING_KEY"), message);
    assertTrue(message.contains("FERRY_TENANTS_0_NEXT_SIGNING_KEY"), message);
    assertTrue(message.contains("--dev"), message);
  }

  @Test
  void a_missing_default_file_means_built_in_defaults() {
    FerryConfig config =
        ConfigLoader.load(
            CommandLine.parse(), TestTrees.SHIPPED_SECRETS, dir.resolve("absent.json"));

    assertEquals(ConfigLoader.load(new String[0], TestTrees.SHIPPED_SECRETS), config);
  }

  @Test
  void a_missing_explicit_file_is_an_error() {
    String message =
        failure(new String[] {"--config", dir.resolve("absent.json").toString()}, Map.of());

    assertTrue(message.startsWith("--config: file not found: "), message);
  }

  @Test
  void a_file_that_is_not_json_is_named() throws IOException {
    Path file = Files.writeString(dir.resolve("bad.json"), "{ http: ");

    assertTrue(
        failure(new String[] {"--config", file.toString()}, Map.of())
            .startsWith(file + ": not a JSON object"));
  }

  @Test
  void an_unknown_key_in_the_file_names_key_and_file() throws IOException {
    Path file = write(TestTrees.valid().put("limits", new JsonObject().put("maxBatch", 1)));

    String message = failure(new String[] {"--config", file.toString()}, Map.of());

    assertTrue(message.startsWith("limits.maxBatch: unknown key"), message);
    assertTrue(message.endsWith("(in " + file + ")"), message);
  }

  @Test
  void file_beats_defaults_env_beats_file_and_flags_beat_env() throws IOException {
    Path file =
        write(
            TestTrees.valid()
                .put("http", new JsonObject().put("port", 1111).put("instances", 3))
                .put("storage", new JsonObject().put("dataDir", "file-dir"))
                .put("limits", new JsonObject().put("maxBatchEntries", 10).put("maxQueues", 20)));
    Map<String, String> env =
        Map.of(
            "FERRY_HTTP_PORT", "2222",
            "FERRY_STORAGE_DATA_DIR", "env-dir",
            "FERRY_LIMITS_MAX_QUEUES", "30");

    FerryConfig envOnly = ConfigLoader.load(new String[] {"--config", file.toString()}, env);
    FerryConfig flagged =
        ConfigLoader.load(
            new String[] {"--config", file.toString(), "--port", "3333", "--data-dir", "flag-dir"},
            env);

    assertEquals(3, envOnly.http().instances()); // file
    assertEquals(10, envOnly.limits().maxBatchEntries()); // file
    assertEquals(1000, envOnly.limits().maxUrlGroups()); // default
    assertEquals(30, envOnly.limits().maxQueues()); // env over file
    assertEquals(2222, envOnly.http().port()); // env over file
    assertEquals(Path.of("env-dir"), envOnly.storage().dataDir());
    assertEquals(3333, flagged.http().port()); // flag over env
    assertEquals(Path.of("flag-dir"), flagged.storage().dataDir());
  }

  @Test
  void dev_serves_the_dev_server_users_with_their_exact_tokens_and_keys() {
    FerryConfig config = ConfigLoader.load(new String[] {"--dev"}, Map.of());

    // Copied from the official dev server's banner (docs/compatibility.md#the-dev-server),
    // independently of DevProfile.
    assertEquals(8080, config.http().port());
    assertEquals(Path.of("data"), config.storage().dataDir());
    assertEquals(
        List.of(
            new FerryConfig.Tenant(
                "defaultUser",
                List.of("eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0="),
                "sig_7kYjw48mhY7kAjqNGcy6cr29RJ6r",
                "sig_5ZB6DVzB1wjE8S6rZ7eenA8Pdnhs"),
            new FerryConfig.Tenant(
                "testUser1",
                List.of("eyJVc2VySUQiOiJ0ZXN0VXNlcjEiLCJQYXNzd29yZCI6InRlc3RQYXNzd29yZCJ9"),
                "sig_7GVPjvuwsfqF65iC8fSrs1dfYruM",
                "sig_5NoELc3EFnZn4DVS5bDs2Nk4b7Ua"),
            new FerryConfig.Tenant(
                "testUser2",
                List.of("eyJVc2VySUQiOiJ0ZXN0VXNlcjIiLCJQYXNzd29yZCI6InRlc3RQYXNzd29yZCJ9"),
                "sig_6jWGaWRxHsw4vMSPJprXadyvrybF",
                "sig_7qHbvhmahe5GwfePDiS5Lg3pi6Qx"),
            new FerryConfig.Tenant(
                "testUser3",
                List.of("eyJVc2VySUQiOiJ0ZXN0VXNlcjMiLCJQYXNzd29yZCI6InRlc3RQYXNzd29yZCJ9"),
                "sig_5T8FcSsynBjn9mMLBsXhpacRovJf",
                "sig_7GFR4YaDshFcqsxWRZpRB161jguD")),
        config.tenants());
    assertEquals(FerryConfig.defaults().limits(), config.limits());
    assertEquals(FerryConfig.defaults().delivery(), config.delivery());
  }

  @Test
  void dev_replaces_file_tenants_and_port_but_flags_and_env_still_win() throws IOException {
    Path file = write(TestTrees.valid().put("http", new JsonObject().put("port", 1111)));

    FerryConfig plain =
        ConfigLoader.load(new String[] {"--config", file.toString(), "--dev"}, Map.of());
    FerryConfig ported =
        ConfigLoader.load(
            new String[] {
              "--config", file.toString(), "--dev", "--port", "0", "--data-dir", "/tmp/dev"
            },
            Map.of());
    FerryConfig envPorted =
        ConfigLoader.load(new String[] {"--dev"}, Map.of("FERRY_HTTP_PORT", "4444"));

    assertEquals(8080, plain.http().port());
    assertEquals(DevProfile.tenants(), plain.tenants());
    assertEquals(0, ported.http().port());
    assertEquals(Path.of("/tmp/dev"), ported.storage().dataDir());
    assertEquals(4444, envPorted.http().port());
  }

  @Test
  void dev_users_can_be_joined_by_a_tenant_from_the_environment() {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "FERRY_TENANTS_4_NAME", "mine",
                "FERRY_TENANTS_4_TOKENS", "my-token",
                "FERRY_TENANTS_4_CURRENT_SIGNING_KEY", "sig_a",
                "FERRY_TENANTS_4_NEXT_SIGNING_KEY", "sig_b"));

    FerryConfig config = ConfigLoader.load(new String[] {"--dev"}, env);

    assertEquals(5, config.tenants().size());
    assertEquals("mine", config.tenants().get(4).name());
  }

  @Test
  void an_unknown_env_variable_stops_loading() {
    String message = failure(new String[] {"--dev"}, Map.of("FERRY_DEV", "true"));

    assertTrue(message.startsWith("FERRY_DEV: unknown configuration variable"), message);
  }

  @Test
  void an_unknown_flag_stops_loading() {
    assertTrue(failure(new String[] {"--verbose"}, Map.of()).startsWith("--verbose: unknown flag"));
  }

  @Test
  void help_is_a_request_not_a_config() {
    ConfigLoader.HelpRequested help =
        assertThrows(
            ConfigLoader.HelpRequested.class,
            () -> ConfigLoader.load(new String[] {"--dev", "--help"}, Map.of()));

    assertEquals(CommandLine.usage(), help.getMessage());
  }
}
