package dev.ferry.tools;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ferry sink}: a destination for load tests. Answers every request {@code 200} as soon as
 * its body has arrived, counts it, verifies its {@code Upstash-Signature} when signing keys are
 * given, and records its lateness when it carries {@code X-Due-At: <Unix ms>} (a publisher sets it
 * with {@code Upstash-Forward-X-Due-At}). {@code GET /stats} answers the figures as JSON ({@link
 * SinkStats#toJson()}), {@code GET /arrivals} the arrival time of each such request by its {@code
 * Upstash-Message-Id} ({@link SinkStats#arrivalsJson()}), {@code GET /timeline?slotMs=N} their
 * lateness per slot of due time ({@link SinkStats#timelineJson(long)}), {@code POST /reset} zeroes
 * them. Binds 127.0.0.1 unless told otherwise ({@code --host 0.0.0.0} in a container). One verticle
 * per core, sharing one {@link SinkStats}.
 */
public final class SinkServer extends VerticleBase {
  static final String DUE_AT = "X-Due-At";

  private final String host;
  private final int port;
  private final SinkStats stats;
  private final SignatureCheck signatures;

  SinkServer(String host, int port, SinkStats stats, SignatureCheck signatures) {
    this.host = host;
    this.port = port;
    this.stats = stats;
    this.signatures = signatures;
  }

  @Override
  public Future<?> start() {
    return vertx
        .createHttpServer(new HttpServerOptions().setHost(host).setPort(port).setTcpNoDelay(true))
        .requestHandler(this::handle)
        .listen();
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    if (request.method() == HttpMethod.GET && "/stats".equals(path)) {
      request.response().putHeader("Content-Type", "application/json").end(stats.toJson().encode());
      return;
    }
    if (request.method() == HttpMethod.GET && "/arrivals".equals(path)) {
      request
          .response()
          .putHeader("Content-Type", "application/json")
          .end(stats.arrivalsJson().encode());
      return;
    }
    if (request.method() == HttpMethod.GET && "/timeline".equals(path)) {
      timeline(request);
      return;
    }
    if (request.method() == HttpMethod.POST && "/reset".equals(path)) {
      stats.reset();
      request.response().end();
      return;
    }
    request
        .body()
        .onSuccess(
            body -> {
              long now = nowMicros();
              stats.arrived(now);
              if (signatures != null) {
                String url = "http://" + request.getHeader("Host") + request.uri();
                stats.signature(
                    signatures.verify(
                        request.getHeader("Upstash-Signature"), url, body.getBytes()));
              }
              String due = request.getHeader(DUE_AT);
              if (due != null) {
                try {
                  stats.due(
                      Math.round(Double.parseDouble(due) * 1000),
                      now,
                      request.getHeader("Upstash-Message-Id"));
                } catch (NumberFormatException e) {
                  // not a due time: counted as an arrival only
                }
              }
              request.response().end();
            });
  }

  private void timeline(HttpServerRequest request) {
    long slotMillis;
    try {
      String slot = request.getParam("slotMs");
      slotMillis = slot == null ? 1000 : Long.parseLong(slot);
      if (slotMillis <= 0) throw new NumberFormatException();
    } catch (NumberFormatException e) {
      request
          .response()
          .setStatusCode(400)
          .end("{\"error\":\"slotMs must be a positive integer\"}");
      return;
    }
    request
        .response()
        .putHeader("Content-Type", "application/json")
        .end(stats.timelineJson(slotMillis).encode());
  }

  static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }

  /**
   * Entry point of {@code ferry sink}; blocks until the sink listens, then returns (the event loops
   * keep it up).
   */
  public static void run(String[] args) throws Exception {
    Options o = Options.parse(args);
    if (o.help) {
      System.out.println(Options.USAGE);
      return;
    }
    List<String> keys = new ArrayList<>();
    if (o.currentKey != null) keys.add(o.currentKey);
    if (o.nextKey != null) keys.add(o.nextKey);
    SignatureCheck signatures = keys.isEmpty() ? null : new SignatureCheck(keys);
    SinkStats stats = new SinkStats();
    Vertx vertx = Vertx.vertx();
    vertx
        .deployVerticle(
            () -> new SinkServer(o.host, o.port, stats, signatures),
            new DeploymentOptions().setInstances(o.instances))
        .await(30, TimeUnit.SECONDS);
    System.out.println(
        "sink listening on http://"
            + o.host
            + ":"
            + o.port
            + (signatures == null ? "" : " (verifying signatures)"));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    vertx.close().await(5, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    // exiting anyway
                  }
                },
                "sink-shutdown"));
  }

  /** The sink's flags. */
  static final class Options {
    static final String USAGE =
        String.join(
            "\n",
            "Usage: ferry sink --port N [--host ADDRESS] [--instances N]",
            "                  [--current-signing-key K --next-signing-key K2]",
            "",
            "Answers 200 to every request, counts them, verifies Upstash-Signature when keys are given and records",
            "lateness of requests carrying 'X-Due-At: <Unix ms>'. GET /stats: figures as JSON; GET /arrivals: arrival",
            "time (Unix ms) of each of those by Upstash-Message-Id (the first 100,000); GET /timeline?slotMs=N: their",
            "lateness per N ms of due time (default 1000); POST /reset: zero them.",
            "--host: address to bind (default 127.0.0.1; 0.0.0.0 to be reachable from other hosts, e.g. in a pod).");

    String host = "127.0.0.1";
    int port = -1;
    int instances = Runtime.getRuntime().availableProcessors();
    String currentKey;
    String nextKey;
    boolean help;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        int eq = arg.indexOf('=');
        String flag = eq > 0 ? arg.substring(0, eq) : arg;
        switch (flag) {
          case "--help", "-h" -> o.help = true;
          case "--port" ->
              o.port = Integer.parseInt(eq > 0 ? arg.substring(eq + 1) : value(args, ++i, flag));
          case "--host" -> o.host = eq > 0 ? arg.substring(eq + 1) : value(args, ++i, flag);
          case "--instances" ->
              o.instances =
                  Integer.parseInt(eq > 0 ? arg.substring(eq + 1) : value(args, ++i, flag));
          case "--current-signing-key" ->
              o.currentKey = eq > 0 ? arg.substring(eq + 1) : value(args, ++i, flag);
          case "--next-signing-key" ->
              o.nextKey = eq > 0 ? arg.substring(eq + 1) : value(args, ++i, flag);
          default -> throw new IllegalArgumentException(flag + ": unknown flag\n" + USAGE);
        }
      }
      if (!o.help && (o.port < 1 || o.port > 65_535)) {
        throw new IllegalArgumentException("--port N (1..65535) is required\n" + USAGE);
      }
      return o;
    }

    private static String value(String[] args, int i, String flag) {
      if (i >= args.length) throw new IllegalArgumentException(flag + ": needs a value");
      return args[i];
    }
  }
}
