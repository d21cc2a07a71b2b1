package dev.ferry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FerryConfigTest {

  @Test
  void missing_keys_take_the_built_in_defaults() {
    FerryConfig config = FerryConfig.from(TestTrees.valid());

    assertEquals(
        new FerryConfig.Http(
            "0.0.0.0", 8080, 0, Duration.ofSeconds(10), FerryConfig.HttpTls.DISABLED),
        config.http());
    assertEquals(new FerryConfig.Storage("embedded", Path.of("data")), config.storage());
    assertEquals(
        new FerryConfig.Delivery(
            0,
            64,
            Duration.ofMinutes(15),
            Duration.ofHours(2),
            262_144,
            10_000,
            Duration.ofMinutes(5),
            0,
            FerryConfig.DeliveryTls.DEFAULTS),
        config.delivery());
    assertEquals(
        new FerryConfig.Limits(
            10L * 1024 * 1024,
            100L * 1024 * 1024,
            1000,
            3,
            100,
            Duration.ofDays(365),
            1000,
            100,
            1000,
            1000,
            Duration.ofMinutes(10),
            1000),
        config.limits());
    assertEquals(
        List.of(
            new FerryConfig.Tenant("acme", List.of("token-acme"), "sig_cur_acme", "sig_next_acme")),
        config.tenants());
  }

  @Test
  void values_in_the_tree_override_defaults_and_the_rest_stay() {
    JsonObject tree =
        TestTrees.valid()
            .put("http", new JsonObject().put("port", 9999).put("drainTimeout", "30s"))
            .put("limits", new JsonObject().put("maxBatchEntries", 5).put("maxDelay", "7d"))
            .put("storage", new JsonObject().put("dataDir", "/var/lib/ferry"));

    FerryConfig config = FerryConfig.from(tree);

    assertEquals(9999, config.http().port());
    assertEquals(Duration.ofSeconds(30), config.http().drainTimeout());
    assertEquals("0.0.0.0", config.http().host());
    assertEquals(5, config.limits().maxBatchEntries());
    assertEquals(Duration.ofDays(7), config.limits().maxDelay());
    assertEquals(3, config.limits().defaultRetries());
    assertEquals(Path.of("/var/lib/ferry"), config.storage().dataDir());
  }

  @Test
  void the_shipped_file_lists_exactly_the_built_in_defaults() throws Exception {
    JsonObject shipped = new JsonObject(Files.readString(Path.of("conf/ferry.json")));

    assertEquals(ConfigSchema.defaults(), shipped);
  }

  @Test
  void defaults_has_every_default_and_no_tenants() {
    FerryConfig defaults = FerryConfig.defaults();

    assertEquals(FerryConfig.from(TestTrees.valid()).withTenants(List.of()), defaults);
    assertTrue(defaults.tenants().isEmpty());
  }

  @Test
  void dev_has_the_four_dev_server_users_on_port_8080() {
    FerryConfig dev = FerryConfig.dev();

    assertEquals(8080, dev.http().port());
    assertEquals(DevProfile.tenants(), dev.tenants());
  }

  @Test
  void the_records_are_immutable() {
    List<String> tokens = new ArrayList<>(List.of("t"));
    FerryConfig.Tenant tenant = new FerryConfig.Tenant("a", tokens, "c", "n");
    tokens.add("u");

    assertEquals(List.of("t"), tenant.tokens());
    assertThrows(UnsupportedOperationException.class, () -> FerryConfig.dev().tenants().clear());
    assertThrows(UnsupportedOperationException.class, () -> tenant.tokens().add("v"));
  }
}
