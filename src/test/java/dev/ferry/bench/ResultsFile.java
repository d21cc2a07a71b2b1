package dev.ferry.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The dated record of bench runs ({@code --results FILE}, usually {@code loadtest/RESULTS.md}):
 * each run appends one section headed by its date and commit, holding the command line and what the
 * run printed (environment, table, notes) verbatim in a code block, so runs stay comparable line by
 * line and the file reads oldest first. Formatting is pure; {@link #append} only adds to the end of
 * the file (creating it with its title when missing).
 */
final class ResultsFile {
  /** The title a new results file starts with. */
  static final String TITLE =
      "# Load-test results\n\n"
          + "Bench runs (`loadtest/bench.sh --results loadtest/RESULTS.md`), oldest first; how to read them is in "
          + "[README.md](README.md). Compare ratios within one run, never absolute figures across runs.\n";

  private static final DateTimeFormatter HEADING_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private ResultsFile() {}

  /**
   * One run's section: {@code ## <date> — commit <hash>}, the command line, then {@code printed}
   * (the environment summary, the table and its notes) in a code block. {@code environment} is
   * {@link Environment#describe}'s.
   */
  static String section(JsonObject environment, List<String> args, String printed) {
    String started = HEADING_TIME.format(Instant.parse(environment.getString("startedAt")));
    String commit =
        environment.getString("commit")
            + (environment.getBoolean("dirty", false) ? " (with uncommitted changes)" : "");
    String command = "loadtest/bench.sh" + (args.isEmpty() ? "" : " " + String.join(" ", args));
    String body = printed.endsWith("\n") ? printed : printed + "\n";
    return "\n## "
        + started
        + " — commit "
        + commit
        + "\n\n"
        + "`"
        + command
        + "`\n\n"
        + "```\n"
        + body
        + "```\n";
  }

  /**
   * Appends {@code section} to {@code file}, creating it (and its directory) with {@link #TITLE}
   * first if missing.
   */
  static void append(Path file, String section) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) Files.createDirectories(dir);
    if (!Files.exists(file)) Files.writeString(file, TITLE, StandardCharsets.UTF_8);
    Files.writeString(file, section, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }
}
