package dev.ferry.config;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The {@code workflows} section: how long an ended workflow run (its state, steps and response,
 * what {@code /v2/workflows/events} shows, and its id, which a repeated trigger is answered
 * "deduplicated" for) is kept after it ended. {@code 0} keeps ended runs forever. Set as {@code
 * workflows.retention} in the config file or {@code FERRY_WORKFLOWS_RETENTION}.
 *
 * @param retention how long an ended run is kept
 */
public record WorkflowsConfig(Duration retention) {
  public static final WorkflowsConfig DEFAULTS = new WorkflowsConfig(Duration.ofDays(7));

  /** The section's defaults, as {@link ConfigSchema} completes a file with them. */
  static JsonObject defaults() {
    return new JsonObject().put("retention", "7d");
  }

  /**
   * Reads the section of a complete config tree.
   *
   * @throws ConfigException naming the bad key
   */
  static WorkflowsConfig read(JsonObject completeTree) {
    Object value = completeTree.getJsonObject("workflows", defaults()).getValue("retention");
    if (!(value instanceof String text)) {
      throw new ConfigException("workflows.retention: must be a duration such as \"7d\"");
    }
    try {
      Duration retention = ConfigDurations.parse(text.trim());
      if (retention.isNegative()) throw new IllegalArgumentException("negative: " + text);
      return new WorkflowsConfig(retention);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("workflows.retention: " + e.getMessage());
    }
  }
}
