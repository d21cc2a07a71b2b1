package dev.ferry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code workflows.retention}: from the file or {@code FERRY_WORKFLOWS_RETENTION}, 7 days by
 * default.
 */
class WorkflowsConfigTest {
  @TempDir Path dir;

  private ConfigLoader.Loaded load(String file, Map<String, String> env) throws Exception {
    Path config = dir.resolve("ferry.json");
    Files.writeString(config, file);
    return ConfigLoader.loadReporting(new String[] {"--dev", "--config", config.toString()}, env);
  }

  @Test
  void retention_defaults_to_seven_days_and_is_read_from_file_and_environment() throws Exception {
    assertEquals(Duration.ofDays(7), load("{}", Map.of()).workflows().retention());
    assertEquals(
        Duration.ofHours(36),
        load("{\"workflows\":{\"retention\":\"36h\"}}", Map.of()).workflows().retention());
    assertEquals(
        Duration.ZERO,
        load("{\"workflows\":{\"retention\":\"36h\"}}", Map.of("FERRY_WORKFLOWS_RETENTION", "0"))
            .workflows()
            .retention());
  }

  @Test
  void a_bad_retention_is_refused_naming_the_key() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> load("{\"workflows\":{\"retention\":\"a while\"}}", Map.of()));
    assertTrue(e.getMessage().contains("workflows.retention"), e.getMessage());
  }
}
