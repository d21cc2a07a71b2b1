package dev.ferry;

import dev.ferry.config.ConfigException;
import dev.ferry.config.ConfigLoader;
import dev.ferry.config.FerryConfig;
import dev.ferry.logging.LogSetup;
import dev.ferry.metrics.FerryMetrics;
import dev.ferry.store.StoreDamagedException;
import dev.ferry.tools.RepairStoreCommand;
import dev.ferry.tools.SinkServer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point: load the configuration, start Ferry, stop it gracefully on SIGTERM. {@code ferry
 * sink ...} instead starts the load-test destination ({@link SinkServer}), {@code ferry
 * repair-store} salvages a damaged store ({@link RepairStoreCommand}).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.setProperty(
        "vertx.logger-delegate-factory-class-name",
        "io.vertx.core.logging.SLF4JLogDelegateFactory");
    if (args.length > 0 && args[0].equals("sink")) {
      sink(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("repair-store")) {
      System.exit(RepairStoreCommand.run(Arrays.copyOfRange(args, 1, args.length)));
      return;
    }
    ConfigLoader.Loaded loaded;
    try {
      loaded = ConfigLoader.loadReporting(args, System.getenv());
    } catch (ConfigLoader.HelpRequested help) {
      System.out.println(help.getMessage());
      return;
    } catch (ConfigException e) {
      System.err.println("ferry: " + e.getMessage());
      System.exit(2);
      return;
    }
    FerryConfig config = loaded.config();
    LogSetup.apply(config.logging());
    Logger log = LoggerFactory.getLogger(Main.class);
    if (!loaded.ignoredServiceLinks().isEmpty()) {
      // names only: the values are cluster addresses, and nothing here needs them
      log.info(
          "ignored {} FERRY_* variables that Kubernetes sets for Services named ferry or ferry-* (not "
              + "configuration; enableServiceLinks: false in the pod spec removes them): {}",
          loaded.ignoredServiceLinks().size(),
          String.join(", ", loaded.ignoredServiceLinks()));
    }
    Clock clock = Clock.systemUTC();
    FerryMetrics metrics = FerryMetrics.create(config.metrics(), clock);
    Vertx vertx = metrics.newVertx(new VertxOptions());
    Ferry ferry;
    try {
      Duration warmUp = config.startup().warmUp();
      new WarmUp(vertx, config, warmUp)
          .run()
          .await(warmUp.plusMinutes(1).toMillis(), TimeUnit.MILLISECONDS);
      ferry =
          Ferry.start(vertx, config, clock, metrics, loaded.workflows()).await(2, TimeUnit.MINUTES);
    } catch (Exception e) {
      if (e instanceof StoreDamagedException) {
        log.error(
            "Ferry failed to start: {}", e.getMessage()); // no stack trace: damaged data, not a bug
        System.err.println(
            "ferry: " + e.getMessage()); // the operator's terminal too, whatever the log format
      } else {
        log.error("Ferry failed to start: {}", e.getMessage(), e);
      }
      vertx.close();
      LogSetup.stop();
      System.exit(1);
      return;
    }
    // SIGTERM (or SIGINT): the JVM runs this hook, then exits with 143 (128 + 15) for SIGTERM, 130
    // for SIGINT
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  long grace = config.shutdown().gracePeriod().toMillis();
                  log.info("shutting down within {} ms", grace);
                  try {
                    ferry.close().eventually(vertx::close).await(grace, TimeUnit.MILLISECONDS);
                    log.info("stopped");
                  } catch (TimeoutException e) {
                    // The store is crash-safe (every 2xx'd message is in the synced log), so
                    // stopping hard loses nothing: what was in flight is delivered again after the
                    // restart. Better than Kubernetes' SIGKILL a moment later.
                    log.error(
                        "shutdown did not finish within the grace period of {} ms; stopping now",
                        grace);
                    LogSetup.stop();
                    Runtime.getRuntime().halt(143);
                  } catch (Exception e) {
                    log.error(
                        "unclean shutdown: {}",
                        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                  }
                  LogSetup.stop(); // last: writes out the lines still queued
                },
                "ferry-shutdown"));
  }

  private static void sink(String[] args) {
    try {
      SinkServer.run(args);
    } catch (IllegalArgumentException e) {
      System.err.println("ferry sink: " + e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      System.err.println("ferry sink: cannot start: " + e);
      System.exit(1);
    }
  }
}
