package dev.ferry.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The command-line flags, parsed once in Main: {@code --config PATH}, {@code --port N}, {@code
 * --data-dir DIR}, {@code --dev}, {@code --help}. Values may follow as the next argument or after
 * {@code =}; a repeated flag keeps its last value. Flags win over environment variables, which win
 * over the file.
 *
 * @param configFile the {@code --config} file, if given (otherwise {@link #DEFAULT_CONFIG}, and
 *     only if it exists)
 * @param port {@code --port}: overrides {@code http.port}
 * @param dataDir {@code --data-dir}: overrides {@code storage.dataDir}
 * @param dev {@code --dev}: see {@link DevProfile}
 * @param help {@code --help} / {@code -h}: print {@link #usage()} and exit instead of starting
 */
public record CommandLine(
    Optional<Path> configFile,
    OptionalInt port,
    Optional<Path> dataDir,
    boolean dev,
    boolean help) {

  public static final Path DEFAULT_CONFIG = Path.of("conf", "ferry.json");

  /**
   * @throws ConfigException naming the flag for an unknown flag, a missing value or a bad value
   */
  public static CommandLine parse(String... args) {
    Optional<Path> configFile = Optional.empty();
    OptionalInt port = OptionalInt.empty();
    Optional<Path> dataDir = Optional.empty();
    boolean dev = false;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      int equals = arg.indexOf('=');
      String flag = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
      String inline = flag.equals(arg) ? null : arg.substring(equals + 1);
      switch (flag) {
        case "--config" -> {
          configFile = Optional.of(path(flag, inline != null ? inline : value(args, ++i, flag)));
        }
        case "--port" ->
            port = OptionalInt.of(port(inline != null ? inline : value(args, ++i, flag)));
        case "--data-dir" ->
            dataDir = Optional.of(path(flag, inline != null ? inline : value(args, ++i, flag)));
        case "--dev", "--help", "-h" -> {
          if (inline != null) {
            throw new ConfigException(flag + ": takes no value, got \"" + inline + "\"");
          }
          dev |= flag.equals("--dev");
          help |= !flag.equals("--dev");
        }
        default ->
            throw new ConfigException(
                (arg.startsWith("-")
                        ? flag + ": unknown flag"
                        : "\"" + arg + "\": unexpected argument")
                    + " (known: --config PATH, --port N, --data-dir DIR, --dev, --help)");
      }
    }
    return new CommandLine(configFile, port, dataDir, dev, help);
  }

  /** What {@code --help} prints. */
  public static String usage() {
    return String.join(
        "\n",
        "Usage: ferry [--config PATH] [--port N] [--data-dir DIR] [--dev] [--help]",
        "",
        "  --config PATH    configuration file (default conf/ferry.json; built-in defaults if that file is missing)",
        "  --port N         HTTP port, 0..65535 (overrides http.port and FERRY_HTTP_PORT)",
        "  --data-dir DIR   directory of the embedded store (overrides storage.dataDir and FERRY_STORAGE_DATA_DIR)",
        "  --dev            the QStash dev server's port (8080), users, tokens and signing keys; data is kept",
        "  --help           print this and exit",
        "",
        "Every configuration key can be set by an environment variable named after its path, e.g.",
        "FERRY_HTTP_PORT, FERRY_LIMITS_MAX_BATCH_ENTRIES, FERRY_TENANTS_0_TOKENS (comma-separated).",
        "Precedence: built-in defaults < config file < --dev < environment < flags.",
        "",
        "Tools: ferry sink [...] (a load-test destination), ferry repair-store --data-dir DIR (salvage a store",
        "whose write-ahead log is damaged, with Ferry stopped).",
        "");
  }

  private static String value(String[] args, int index, String flag) {
    if (index >= args.length || args[index].startsWith("--")) {
      throw new ConfigException(flag + ": needs a value");
    }
    return args[index];
  }

  private static int port(String text) {
    try {
      int port = Integer.parseInt(text.trim());
      if (port >= 0 && port <= 65_535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException("--port: must be an integer in 0..65535, got \"" + text + "\"");
  }

  private static Path path(String flag, String text) {
    if (text.isBlank()) {
      throw new ConfigException(flag + ": must not be empty");
    }
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw new ConfigException(
          flag + ": not a valid path (" + e.getReason() + "), got \"" + text + "\"");
    }
  }
}
