package dev.ferry.bench.instrument;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Entry point of an instrument process: {@code Instrument
 * batch|redis-batch|publish|deliver|deliver-signed|relay|heap --port N [--instances N] [--data-dir
 * DIR] [--redis URL] [--signing-key KEY]}. Each mode is the bare Vert.x (and RocksDB) counterpart
 * of one Ferry path, with no logic beyond what the path physically requires ({@code
 * deliver-signed}: signing and recording, see {@link SignAndRecord}); the bench orchestrator starts
 * it as a JVM of its own with the same flags as Ferry and stops it with SIGTERM.
 */
public final class Instrument {
  private Instrument() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "";
    int port = -1;
    int instances = Runtime.getRuntime().availableProcessors();
    Path dataDir = null;
    String redis = null;
    String signingKey = null;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--instances" -> instances = Integer.parseInt(args[++i]);
        case "--data-dir" -> dataDir = Path.of(args[++i]);
        case "--redis" -> redis = args[++i];
        case "--signing-key" -> signingKey = args[++i];
        default -> throw new IllegalArgumentException("unknown flag " + args[i]);
      }
    }
    if (port <= 0) throw new IllegalArgumentException("--port N is required");
    int p = port;
    Vertx vertx = Vertx.vertx();
    GroupCommit store =
        switch (mode) {
          case "batch" -> new GroupCommit(required(dataDir, mode));
          case "relay" ->
              new GroupCommit(Files.createDirectories(required(dataDir, mode)).resolve("messages"));
          default -> null;
        };
    SignAndRecord gateway =
        switch (mode) {
          case "deliver-signed" -> new SignAndRecord(required(dataDir, mode));
          case "relay" ->
              new SignAndRecord(
                  dataDir.resolve("outcomes"), required(signingKey, "--signing-key KEY", mode));
          default -> null;
        };
    DeploymentOptions many = new DeploymentOptions().setInstances(instances);
    switch (mode) {
      case "batch" ->
          vertx
              .deployVerticle(() -> new HttpInstruments.Batch(p, store), many)
              .await(30, TimeUnit.SECONDS);
      case "redis-batch" -> {
        String endpoint = required(redis, "--redis URL", mode);
        vertx.deployVerticle(() -> new RedisBatch(p, endpoint), many).await(30, TimeUnit.SECONDS);
      }
      case "publish" ->
          vertx
              .deployVerticle(() -> new HttpInstruments.Publish(p), many)
              .await(30, TimeUnit.SECONDS);
      case "deliver" -> vertx.deployVerticle(new DeliveryInstrument(p)).await(30, TimeUnit.SECONDS);
      case "deliver-signed" ->
          vertx.deployVerticle(new DeliveryInstrument(p, gateway)).await(30, TimeUnit.SECONDS);
      case "relay" ->
          vertx
              .deployVerticle(() -> new RelayInstrument(p, store, gateway), many)
              .await(30, TimeUnit.SECONDS);
      case "heap" -> vertx.deployVerticle(new DueHeapInstrument(p)).await(30, TimeUnit.SECONDS);
      default ->
          throw new IllegalArgumentException(
              "mode must be batch, redis-batch, publish, deliver, deliver-signed, relay or heap, got '"
                  + mode
                  + "'");
    }
    System.out.println("instrument " + mode + " listening on 127.0.0.1:" + port);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    vertx.close().await(10, TimeUnit.SECONDS);
                    if (store != null) store.close();
                    if (gateway != null) gateway.close();
                  } catch (Exception e) {
                    System.err.println("instrument: unclean shutdown: " + e);
                  }
                },
                "instrument-shutdown"));
  }

  private static Path required(Path dataDir, String mode) {
    if (dataDir == null)
      throw new IllegalArgumentException("--data-dir DIR is required for " + mode);
    return dataDir;
  }

  private static String required(String value, String flag, String mode) {
    if (value == null) throw new IllegalArgumentException(flag + " is required for " + mode);
    return value;
  }
}
