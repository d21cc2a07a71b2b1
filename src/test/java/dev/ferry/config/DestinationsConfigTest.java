package dev.ferry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code destinations} section: defaults, validation of mode and CIDRs, environment overrides.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DestinationsConfigTest {
  @Test
  void defaults_block_only_metadata() {
    FerryConfig.Destinations d = FerryConfig.from(TestTrees.valid()).destinations();
    assertEquals(FerryConfig.Destinations.DEFAULTS, d);
    assertFalse(d.publicOnly());
    assertFalse(d.dangerouslyAllowMetadata());
  }

  @Test
  void a_full_section_is_read() {
    FerryConfig.Destinations d =
        FerryConfig.from(
                TestTrees.valid()
                    .put(
                        "destinations",
                        new JsonObject()
                            .put("mode", "public")
                            .put("allowCidrs", new JsonArray().add("10.20.0.0/16").add("fd00::/8"))
                            .put("allowHosts", new JsonArray().add("hooks.internal"))
                            .put("denyCidrs", new JsonArray().add("10.20.9.9"))
                            .put("dangerouslyAllowMetadata", true)))
            .destinations();
    assertTrue(d.publicOnly());
    assertEquals(List.of("10.20.0.0/16", "fd00::/8"), d.allowCidrs());
    assertEquals(List.of("hooks.internal"), d.allowHosts());
    assertEquals(List.of("10.20.9.9"), d.denyCidrs());
    assertTrue(d.dangerouslyAllowMetadata());
  }

  @Test
  void bad_mode_and_cidrs_stop_start_up_naming_the_key() {
    String message =
        assertThrows(
                ConfigException.class,
                () ->
                    FerryConfig.from(
                        TestTrees.valid()
                            .put(
                                "destinations",
                                new JsonObject()
                                    .put("mode", "private")
                                    .put("allowCidrs", new JsonArray().add("10.0.0.0/33"))
                                    .put("denyCidrs", new JsonArray().add("hooks.internal/8")))))
            .getMessage();
    assertTrue(
        message.contains("destinations.mode: must be one of \"default\", \"public\""), message);
    assertTrue(message.contains("destinations.allowCidrs[0]"), message);
    assertTrue(message.contains("destinations.denyCidrs[0]"), message);
  }

  @Test
  void lists_come_from_the_environment_too() {
    JsonObject tree =
        EnvOverrides.apply(
            TestTrees.valid(),
            Map.of(
                "FERRY_DESTINATIONS_MODE",
                "public",
                "FERRY_DESTINATIONS_ALLOW_CIDRS",
                "10.20.0.0/16, 192.168.5.0/24",
                "FERRY_DESTINATIONS_DANGEROUSLY_ALLOW_METADATA",
                "false"));
    FerryConfig.Destinations d = FerryConfig.from(tree).destinations();
    assertTrue(d.publicOnly());
    assertEquals(List.of("10.20.0.0/16", "192.168.5.0/24"), d.allowCidrs());
  }
}
