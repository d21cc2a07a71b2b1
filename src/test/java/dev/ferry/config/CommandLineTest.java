package dev.ferry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CommandLineTest {

  private static String failure(String... args) {
    return assertThrows(ConfigException.class, () -> CommandLine.parse(args)).getMessage();
  }

  @Test
  void no_flags_means_nothing_set() {
    assertEquals(
        new CommandLine(Optional.empty(), OptionalInt.empty(), Optional.empty(), false, false),
        CommandLine.parse());
  }

  @Test
  void every_flag_parses_with_a_space_or_an_equals_sign() {
    CommandLine cli =
        CommandLine.parse(
            "--config", "my.json", "--port=9000", "--data-dir", "/d", "--dev", "--help");

    assertEquals(
        new CommandLine(
            Optional.of(Path.of("my.json")),
            OptionalInt.of(9000),
            Optional.of(Path.of("/d")),
            true,
            true),
        cli);
  }

  @Test
  void the_last_repeated_value_wins() {
    assertEquals(OptionalInt.of(2), CommandLine.parse("--port", "1", "--port", "2").port());
  }

  @Test
  void an_unknown_flag_is_named() {
    assertTrue(
        failure("--dev", "--prot", "80").startsWith("--prot: unknown flag (known: --config PATH"));
    assertTrue(failure("-p").startsWith("-p: unknown flag"));
  }

  @Test
  void a_stray_argument_is_named() {
    assertTrue(failure("serve").startsWith("\"serve\": unexpected argument"));
  }

  @Test
  void bad_or_missing_values_name_the_flag() {
    assertEquals("--port: must be an integer in 0..65535, got \"http\"", failure("--port", "http"));
    assertEquals("--port: must be an integer in 0..65535, got \"-1\"", failure("--port", "-1"));
    assertEquals("--port: must be an integer in 0..65535, got \"65536\"", failure("--port=65536"));
    assertEquals("--port: needs a value", failure("--port"));
    assertEquals("--config: needs a value", failure("--config", "--dev"));
    assertEquals("--data-dir: must not be empty", failure("--data-dir="));
    assertEquals("--dev: takes no value, got \"yes\"", failure("--dev=yes"));
  }

  @Test
  void usage_mentions_every_flag() {
    String usage = CommandLine.usage();

    for (String flag : new String[] {"--config", "--port", "--data-dir", "--dev", "--help"}) {
      assertTrue(usage.contains(flag), flag);
    }
    assertFalse(CommandLine.parse("-h").dev());
    assertTrue(CommandLine.parse("-h").help());
  }
}
