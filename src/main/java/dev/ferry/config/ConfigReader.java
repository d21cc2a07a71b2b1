package dev.ferry.config;

import static dev.ferry.config.ConfigSection.MAX_INT;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a complete config tree (see {@link ConfigSchema#complete}) into the typed {@link
 * FerryConfig}, collecting every bad value before failing so one restart fixes them all. Each
 * section has its reader ({@link HttpReader}, {@link StorageReader}, {@link DeliveryReader}, {@link
 * LimitsReader}, {@link DestinationsReader}, {@link TenantReader}); the small sections are read
 * here, and so are the checks across sections. Runs once, on the main thread, before Vert.x starts.
 */
final class ConfigReader {

  private final List<String> problems = new ArrayList<>();

  private ConfigReader() {}

  /**
   * @throws ConfigException listing every bad value by its key path
   */
  static FerryConfig read(JsonObject completeTree) {
    return new ConfigReader().readTree(completeTree);
  }

  // Sections are read in this order, which is the order their problems are listed in.
  private FerryConfig readTree(JsonObject tree) {
    FerryConfig config =
        new FerryConfig(
            HttpReader.http(section(tree, "http")),
            StorageReader.read(section(tree, "storage")),
            DeliveryReader.read(section(tree, "delivery")),
            LimitsReader.limits(section(tree, "limits")),
            metrics(section(tree, "metrics")),
            logging(section(tree, "logging")),
            new FerryConfig.Logs(
                section(tree, "logs").bool("enabled"),
                section(tree, "logs").duration("retention", true)),
            new FerryConfig.Dlq(section(tree, "dlq").duration("retention", true)),
            DestinationsReader.read(section(tree, "destinations")),
            HttpReader.requests(section(tree, "requests")),
            LimitsReader.overload(section(tree, "overload")),
            new FerryConfig.Startup(section(tree, "startup").duration("warmUp", false)),
            new FerryConfig.Shutdown(section(tree, "shutdown").duration("gracePeriod", true)),
            new FerryConfig.Isolation(section(tree, "isolation").intIn("hostSharePercent", 1, 100)),
            new TenantReader(problems)
                .read(tree.getJsonArray("tenants"), ConfigPath.ROOT.key("tenants")));
    if (config.metrics().enabled()
        && config.metrics().port() != 0
        && config.metrics().port() == config.http().port()) {
      // the point of the management listener is to keep metrics off the port clients reach
      problems.add("metrics.port: must differ from http.port (both " + config.http().port() + ")");
    }
    if (config.startup().warmUp().compareTo(MAX_WARM_UP) > 0) {
      // it runs before the API opens: past a few minutes, Kubernetes' startup probe gives up
      problems.add(
          "startup.warmUp: must be at most "
              + MAX_WARM_UP.toMinutes()
              + "m (got "
              + config.startup().warmUp().toSeconds()
              + "s)");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return config;
  }

  /** The longest warm-up before the API opens. */
  static final Duration MAX_WARM_UP = Duration.ofMinutes(5);

  private ConfigSection section(JsonObject tree, String key) {
    return new ConfigSection(tree.getJsonObject(key), ConfigPath.ROOT.key(key), problems);
  }

  private static FerryConfig.Metrics metrics(ConfigSection s) {
    return new FerryConfig.Metrics(
        s.bool("enabled"),
        s.nonEmptyString("host"),
        s.intIn("port", 0, 65_535),
        s.intIn("maxDestinationHosts", 0, MAX_INT));
  }

  private static FerryConfig.Logging logging(ConfigSection s) {
    return new FerryConfig.Logging(
        s.oneOf("format", List.of("text", "json")),
        s.oneOf("level", List.of("trace", "debug", "info", "warn", "error")),
        s.bool("accessLog"),
        s.intIn("failedAttemptsPerSecond", 0, MAX_INT));
  }
}
