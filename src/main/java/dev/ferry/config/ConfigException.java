package dev.ferry.config;

import java.util.List;

/**
 * A configuration problem that stops start-up; thrown by {@link ConfigLoader} and its parts before
 * Vert.x starts. Each problem starts with the key path, environment variable or flag it is about,
 * e.g. {@code limits.maxBatchEntries: must be a positive integer, got "abc"}; the message lists
 * them one per line.
 */
public final class ConfigException extends RuntimeException {

  private final List<String> problems;

  public ConfigException(String problem) {
    this(List.of(problem));
  }

  public ConfigException(List<String> problems) {
    super(String.join("\n", problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /**
   * Every problem found, in the order they were found (all of them, so one restart can fix them
   * all).
   */
  public List<String> problems() {
    return problems;
  }
}
