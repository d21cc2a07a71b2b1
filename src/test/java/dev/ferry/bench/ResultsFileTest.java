package dev.ferry.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsFileTest {
  private static final String PRINTED =
      "Ferry bench at commit 0bfaab9, 2026-11-29T05:43:56.843Z\n\n"
          + "| workload | figure | result |\n| -------- | ------ | ------ |\n| batch    | msgs/s | PASS   |\n"
          + "note (batch, msgs/s): something to know\n";

  private static JsonObject environment(String startedAt, String commit, boolean dirty) {
    return new JsonObject().put("startedAt", startedAt).put("commit", commit).put("dirty", dirty);
  }

  @Test
  void a_section_is_headed_by_the_date_and_commit_and_keeps_the_output_verbatim() {
    String section =
        ResultsFile.section(
            environment("2026-11-29T05:43:56.843240954Z", "0bfaab9", false),
            List.of("--runs", "3", "--warmups", "3"),
            PRINTED);
    assertEquals(
        "\n## 2026-11-29 05:43 UTC — commit 0bfaab9\n\n"
            + "`loadtest/bench.sh --runs 3 --warmups 3`\n\n"
            + "```\n"
            + PRINTED
            + "```\n",
        section);
  }

  @Test
  void a_dirty_tree_and_a_bare_command_line_are_recorded_as_such() {
    String section =
        ResultsFile.section(
            environment("2026-12-06T23:59:59Z", "abc1234", true),
            List.of(),
            "no newline at the end");
    assertTrue(
        section.startsWith(
            "\n## 2026-12-06 23:59 UTC — commit abc1234 (with uncommitted changes)\n\n"
                + "`loadtest/bench.sh`\n\n"),
        section);
    assertTrue(section.endsWith("```\nno newline at the end\n```\n"), section);
  }

  @Test
  void appending_creates_the_file_with_its_title_once_and_keeps_earlier_runs_in_order(
      @TempDir Path dir) throws Exception {
    Path file = dir.resolve("loadtest").resolve("RESULTS.md");
    String first =
        ResultsFile.section(
            environment("2026-11-29T05:43:56Z", "0bfaab9", false), List.of(), PRINTED);
    String second =
        ResultsFile.section(
            environment("2026-12-06T14:00:00Z", "f4952c0", false), List.of("--quick"), PRINTED);

    ResultsFile.append(file, first);
    ResultsFile.append(file, second);

    assertEquals(
        ResultsFile.TITLE + first + second, Files.readString(file, StandardCharsets.UTF_8));
  }

  @Test
  void appending_to_an_existing_file_adds_to_its_end_without_a_second_title(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("RESULTS.md");
    String existing = "# Load-test results\n\nhand-written notes of an older run\n";
    Files.writeString(file, existing, StandardCharsets.UTF_8);
    String section =
        ResultsFile.section(
            environment("2026-12-06T14:00:00Z", "f4952c0", false), List.of(), PRINTED);

    ResultsFile.append(file, section);

    assertEquals(existing + section, Files.readString(file, StandardCharsets.UTF_8));
  }
}
