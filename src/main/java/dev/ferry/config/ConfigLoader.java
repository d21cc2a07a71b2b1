package dev.ferry.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the one {@link FerryConfig} of the process: built-in defaults &lt; config file &lt; {@code
 * --dev} &lt; {@code FERRY_*} environment &lt; command-line flags, then validates. Called once from
 * Main, before Vert.x starts, so reading the file synchronously is fine. The file is plain JSON (no
 * comments); {@code conf/ferry.json} lists every key with its default.
 */
public final class ConfigLoader {

  private ConfigLoader() {}

  /**
   * Thrown instead of loading when {@code --help} was given: Main prints the message (the usage)
   * and exits with 0. Main may also check {@link CommandLine#help()} itself and call {@link
   * #load(CommandLine, Map)}.
   */
  public static final class HelpRequested extends RuntimeException {
    HelpRequested() {
      super(CommandLine.usage(), null, false, false);
    }
  }

  /**
   * @param args the program arguments
   * @param env the environment, normally {@code System.getenv()}
   * @throws ConfigException naming the bad key, variable, flag or file
   * @throws HelpRequested when {@code --help} was given
   */
  public static FerryConfig load(String[] args, Map<String, String> env) {
    return load(CommandLine.parse(args), env);
  }

  /** As {@link #load(String[], Map)}, with the flags already parsed. */
  public static FerryConfig load(CommandLine cli, Map<String, String> env) {
    return load(cli, env, CommandLine.DEFAULT_CONFIG);
  }

  /**
   * The configuration, and the names of the {@code FERRY_*} variables that were left alone as
   * Kubernetes service links (see {@link ServiceLinks}), sorted; Main logs them once logging is set
   * up.
   */
  public record Loaded(
      FerryConfig config, List<String> ignoredServiceLinks, WorkflowsConfig workflows) {
    public Loaded {
      ignoredServiceLinks = List.copyOf(ignoredServiceLinks);
    }
  }

  /** As {@link #load(String[], Map)}, telling which variables were ignored as service links. */
  public static Loaded loadReporting(String[] args, Map<String, String> env) {
    List<String> ignored = new ArrayList<>();
    JsonObject tree = tree(CommandLine.parse(args), env, CommandLine.DEFAULT_CONFIG, ignored);
    return new Loaded(FerryConfig.from(tree), ignored, WorkflowsConfig.read(tree));
  }

  /** Visible for tests, which need a default file that is missing. */
  static FerryConfig load(CommandLine cli, Map<String, String> env, Path defaultConfig) {
    return load(cli, env, defaultConfig, new ArrayList<>());
  }

  private static FerryConfig load(
      CommandLine cli, Map<String, String> env, Path defaultConfig, List<String> ignored) {
    return FerryConfig.from(tree(cli, env, defaultConfig, ignored));
  }

  /** The complete config tree: file, dev profile, environment, flags. */
  private static JsonObject tree(
      CommandLine cli, Map<String, String> env, Path defaultConfig, List<String> ignored) {
    if (cli.help()) {
      throw new HelpRequested();
    }
    Path file = cli.configFile().orElse(defaultConfig);
    JsonObject tree = fromFile(file, readFile(file, cli.configFile().isPresent()));
    if (cli.dev()) {
      tree = DevProfile.applyTo(tree);
    }
    tree = EnvOverrides.apply(tree, env, ignored);
    JsonObject flagged = tree;
    cli.port().ifPresent(port -> flagged.getJsonObject("http").put("port", port));
    cli.dataDir().ifPresent(dir -> flagged.getJsonObject("storage").put("dataDir", dir.toString()));
    return flagged;
  }

  private static JsonObject fromFile(Path file, JsonObject json) {
    try {
      return ConfigSchema.complete(json);
    } catch (ConfigException e) {
      throw new ConfigException(
          e.problems().stream().map(problem -> problem + " (in " + file + ")").toList());
    }
  }

  /**
   * The file as a JSON object; an empty one when the default file is missing (built-in defaults
   * apply).
   */
  private static JsonObject readFile(Path file, boolean explicit) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      if (!explicit) {
        return new JsonObject();
      }
      throw new ConfigException("--config: file not found: " + file.toAbsolutePath());
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e);
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new ConfigException(file + ": not a JSON object: " + e.getMessage());
    }
  }
}
