package dev.ferry.store.redis;

import dev.ferry.config.RedisConfig;
import dev.ferry.store.OwnershipLostException;
import dev.ferry.store.StoreMetrics;
import dev.ferry.store.StoreUnavailableException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's connection to Redis: one pooled Vert.x client (standalone, Sentinel or Cluster, from
 * {@code storage.redis}), Lua scripts run by SHA with a fall back to their source after a Redis
 * restart forgot them ({@code NOSCRIPT}), {@code WAIT} after writes when {@code waitReplicas > 0},
 * and the one place a Redis failure becomes a {@link StoreUnavailableException}. Non-blocking and
 * thread-safe; a caller on a Vert.x context hears back on that context.
 */
final class RedisLink {
  private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);

  /** A command that has not answered by then counts as Redis being unreachable. */
  static final long COMMAND_TIMEOUT_MILLIS = 5_000;

  /** Connections per Redis node in the client's pool. */
  static final int POOL_SIZE = 16;

  /**
   * Operations at once on Cluster: half a node's pool, so every operation that starts finds a
   * connection to each node (the client's slot-map refresh takes one more).
   */
  static final int CLUSTER_OPERATIONS_AT_ONCE = POOL_SIZE / 2;

  /** How long a write waits for {@code waitReplicas} replicas to acknowledge it. */
  static final long WAIT_TIMEOUT_MILLIS = 1_000;

  /** Error replies that mean "not now" rather than "this command is wrong". */
  private static final Set<String> TRANSIENT =
      Set.of(
          "LOADING",
          "READONLY",
          "MASTERDOWN",
          "CLUSTERDOWN",
          "TRYAGAIN",
          "BUSY",
          "NOREPLICAS",
          "OOM",
          "MOVED",
          "ASK",
          // the client's own reply for commands cut short by a lost connection (a failover)
          "CONNECTION_CLOSED");

  /** A Java exception's text ({@code a.b.SomeException: message}) rather than a Redis reply. */
  private static final Pattern CLIENT_FAILURE =
      Pattern.compile("[a-z][\\w$]*(\\.[\\w$]+)+(: .*)?", Pattern.DOTALL);

  private final Redis client;

  /** On Cluster only: keeps the operations at once below the pool's size (see CommandGate). */
  private final CommandGate gate;

  private final boolean cluster;
  private final int waitReplicas;
  private final StoreMetrics metrics;

  private RedisLink(Redis client, boolean cluster, int waitReplicas, StoreMetrics metrics) {
    this.client = client;
    this.cluster = cluster;
    this.gate = cluster ? new CommandGate(CLUSTER_OPERATIONS_AT_ONCE) : null;
    this.waitReplicas = waitReplicas;
    this.metrics = metrics;
  }

  /** Creates the client; connections are made on first use (and again after Redis restarts). */
  static RedisLink create(Vertx vertx, RedisConfig config, StoreMetrics metrics) {
    return new RedisLink(
        Redis.createClient(vertx, options(config)),
        RedisConfig.CLUSTER.equals(config.mode()),
        config.waitReplicas(),
        metrics);
  }

  static RedisOptions options(RedisConfig config) {
    RedisOptions options =
        new RedisOptions()
            .setEndpoints(config.endpoints())
            .setMaxPoolSize(POOL_SIZE)
            // many concurrent store calls (a batch publish, delivery's outcomes) queue for a
            // connection rather than fail
            .setMaxPoolWaiting(100_000)
            .setMaxWaitingHandlers(100_000);
    if (!config.password().isEmpty()) options.setPassword(config.password());
    switch (config.mode()) {
      case RedisConfig.SENTINEL ->
          options
              .setType(RedisClientType.SENTINEL)
              .setMasterName(config.masterName())
              .setRole(RedisRole.MASTER);
      case RedisConfig.CLUSTER -> options.setType(RedisClientType.CLUSTER);
      default -> options.setType(RedisClientType.STANDALONE);
    }
    return options;
  }

  /** One command (a read, or a write that needs neither WAIT nor metrics). */
  Future<Response> send(Request request) {
    return onCaller(gated(() -> client.send(request), COMMAND_TIMEOUT_MILLIS));
  }

  /**
   * Several independent commands at once, answered in request order. On one Redis they go on one
   * connection, in order; on Cluster their keys may live on different nodes (the client refuses a
   * batch across slots), so each goes to its node on its own and they are not ordered among
   * themselves.
   */
  Future<List<Response>> batch(List<Request> requests) {
    if (!cluster) {
      return onCaller(gated(() -> client.batch(requests), COMMAND_TIMEOUT_MILLIS));
    }
    List<Future<Response>> sent = new ArrayList<>(requests.size());
    for (Request r : requests) {
      sent.add(gated(() -> client.send(r), COMMAND_TIMEOUT_MILLIS));
    }
    return onCaller(Settled.all(sent));
  }

  /** Runs a read-only script. */
  Future<Response> read(LuaScript script, List<String> keys, List<Object> args) {
    return onCaller(eval(script, keys, args, false));
  }

  /**
   * Runs a script that writes, without {@code WAIT} and without telling the metrics: for the
   * message log, which is observability and may lose its last entries.
   */
  Future<Response> writeUnsynced(LuaScript script, List<String> keys, List<Object> args) {
    return onCaller(eval(script, keys, args, false));
  }

  /**
   * Runs a script that writes: completes once Redis applied it (and, with {@code waitReplicas},
   * once that many replicas have it); tells the metrics.
   */
  Future<Response> write(LuaScript script, List<String> keys, List<Object> args) {
    long started = System.nanoTime();
    return onCaller(
        eval(script, keys, args, waitReplicas > 0)
            .andThen(
                ar -> {
                  if (ar.succeeded()) metrics.committed(1, System.nanoTime() - started, true);
                  else metrics.commitFailed(1, asException(ar.cause()));
                }));
  }

  /**
   * Runs one script once per argument set, as {@link #write} does each, but sent as one pipeline on
   * one connection: a batch publish touches about half of 100 partitions, and one round trip per
   * partition made Redis ingest a tenth of what the same bytes cost when pipelined (measured in
   * {@code loadtest/RESULTS.md}). The script must be idempotent: if Redis forgot it (NOSCRIPT), or
   * on Cluster or with {@code waitReplicas} (whose WAIT must follow each write on its own
   * connection), each call goes through {@link #write} on its own, which may repeat one that
   * already ran.
   */
  Future<Void> writeAll(LuaScript script, List<List<String>> keys, List<List<Object>> args) {
    if (keys.size() == 1) return write(script, keys.get(0), args.get(0)).mapEmpty();
    if (cluster || waitReplicas > 0) return writeEach(script, keys, args);
    long started = System.nanoTime();
    List<Request> requests = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      requests.add(request(Command.EVALSHA, script.sha(), keys.get(i), args.get(i)));
    }
    Future<Void> pipelined =
        gated(() -> client.batch(requests), COMMAND_TIMEOUT_MILLIS)
            .<Void>mapEmpty()
            .recover(
                e -> {
                  if (!isNoScript(e)) return Future.failedFuture(mapped(e));
                  LOG.debug("script {} not loaded in Redis, sending it per call", script.name());
                  return writeEach(script, keys, args);
                });
    return onCaller(
        pipelined.andThen(
            ar -> {
              if (ar.succeeded()) {
                metrics.committed(requests.size(), System.nanoTime() - started, true);
              } else {
                metrics.commitFailed(requests.size(), asException(ar.cause()));
              }
            }));
  }

  private Future<Void> writeEach(
      LuaScript script, List<List<String>> keys, List<List<Object>> args) {
    List<Future<Response>> writes = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) writes.add(write(script, keys.get(i), args.get(i)));
    return Settled.all(writes).mapEmpty();
  }

  /** A plain write command with the same WAIT and metrics as {@link #write}. */
  Future<Response> writeCommand(Request request) {
    long started = System.nanoTime();
    Future<Response> sent =
        waitReplicas > 0
            ? withWait(request)
            : gated(() -> client.send(request), COMMAND_TIMEOUT_MILLIS);
    return onCaller(
        sent.recover(e -> Future.failedFuture(mapped(e)))
            .andThen(
                ar -> {
                  if (ar.succeeded()) metrics.committed(1, System.nanoTime() - started, true);
                  else metrics.commitFailed(1, asException(ar.cause()));
                }));
  }

  Future<Void> close() {
    return client.close();
  }

  private Future<Response> eval(
      LuaScript script, List<String> keys, List<Object> args, boolean waitAfter) {
    Future<Response> bySha = run(request(Command.EVALSHA, script.sha(), keys, args), waitAfter);
    return bySha
        .recover(
            e -> {
              if (!isNoScript(e)) return Future.failedFuture(e);
              // Redis restarted (or another Redis took over) and forgot the script: EVAL loads it
              LOG.debug("script {} not loaded in Redis, sending its source", script.name());
              return run(request(Command.EVAL, script.source(), keys, args), waitAfter);
            })
        .recover(e -> Future.failedFuture(mapped(e)));
  }

  private Future<Response> run(Request request, boolean waitAfter) {
    return waitAfter
        ? withWait(request)
        : gated(() -> client.send(request), COMMAND_TIMEOUT_MILLIS);
  }

  /**
   * One operation of the client, through the gate on Cluster, failing after {@code timeoutMillis}
   * (waiting for the gate included).
   */
  private <T> Future<T> gated(Supplier<Future<T>> operation, long timeoutMillis) {
    Future<T> started = gate == null ? operation.get() : gate.run(operation, timeoutMillis);
    return started.timeout(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /** The write and a WAIT on one connection: WAIT counts that connection's writes. */
  private Future<Response> withWait(Request request) {
    Request wait = Request.cmd(Command.WAIT).arg(waitReplicas).arg(WAIT_TIMEOUT_MILLIS);
    return gated(
            () -> client.batch(List.of(request, wait)),
            COMMAND_TIMEOUT_MILLIS + WAIT_TIMEOUT_MILLIS)
        .compose(
            replies -> {
              long acknowledged = replies.get(1).toLong();
              if (acknowledged < waitReplicas) {
                return Future.failedFuture(
                    new StoreUnavailableException(
                        StoreUnavailableException.Reason.STORE_UNREACHABLE,
                        "only "
                            + acknowledged
                            + " of "
                            + waitReplicas
                            + " Redis replicas acknowledged the write within "
                            + WAIT_TIMEOUT_MILLIS
                            + " ms"));
              }
              return Future.succeededFuture(replies.get(0));
            });
  }

  private static Request request(
      Command command, String script, List<String> keys, List<Object> args) {
    Request r = Request.cmd(command).arg(script).arg(keys.size());
    for (String key : keys) r.arg(key);
    for (Object arg : args) {
      if (arg instanceof byte[] bytes) r.arg(bytes);
      else if (arg instanceof Long l) r.arg(l);
      else if (arg instanceof Integer i) r.arg(i);
      else r.arg(arg.toString());
    }
    return r;
  }

  private static boolean isNoScript(Throwable e) {
    return e instanceof Response
        && e.getMessage() != null
        && errorLines(e.getMessage()).stream().anyMatch(l -> l.startsWith("NOSCRIPT"));
  }

  /**
   * The error replies inside an error: one, or one per failed command of a batch, which the client
   * reports as lines {@code ERR [<index>] <reply>} (a write and its WAIT are a batch, so a script
   * Redis forgot answers {@code ERR [0] NOSCRIPT ...} there).
   */
  static List<String> errorLines(String message) {
    List<String> out = new ArrayList<>();
    for (String line : message.split("\\R")) {
      if (line.startsWith("ERR [")) {
        int close = line.indexOf("] ");
        if (close > 0) line = line.substring(close + 2);
      }
      if (!line.isEmpty()) out.add(line);
    }
    return out;
  }

  /**
   * Redis errors that mean "not reachable now" (no connection, a timeout, LOADING, READONLY, ...)
   * become {@link StoreUnavailableException}: the API answers 503 and delivery retries later. Any
   * other error reply is a bug in a command or script and stays what it is.
   */
  static Throwable mapped(Throwable e) {
    if (e instanceof StoreUnavailableException) return e;
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    List<String> replies = errorLines(message);
    for (String reply : replies) {
      // the error reply of a fenced script (see remove.lua): another replica owns the partition now
      if (reply.startsWith("FENCED ")) return new OwnershipLostException(reply);
    }
    if (e instanceof Response && replies.stream().noneMatch(RedisLink::isTransient)) return e;
    return new StoreUnavailableException(
        StoreUnavailableException.Reason.STORE_UNREACHABLE, "Redis unavailable: " + message);
  }

  private static boolean isTransient(String reply) {
    // a batch reports a command cut short by the client as the exception's text, e.g.
    // "java.net.SocketException: Connection reset": the connection failed, not the command
    if (CLIENT_FAILURE.matcher(reply).matches()) return true;
    int space = reply.indexOf(' ');
    return TRANSIENT.contains(space < 0 ? reply : reply.substring(0, space));
  }

  private static Exception asException(Throwable t) {
    return t instanceof Exception e ? e : new RuntimeException(t);
  }

  /** Completes on the caller's context (if it had one), with Redis failures mapped. */
  private static <T> Future<T> onCaller(Future<T> future) {
    Context context = Vertx.currentContext();
    Promise<T> promise = Promise.promise();
    future.onComplete(
        ar -> {
          io.vertx.core.AsyncResult<T> result =
              ar.succeeded() ? ar : Future.failedFuture(mapped(ar.cause()));
          if (context == null || Vertx.currentContext() == context) promise.handle(result);
          else context.runOnContext(v -> promise.handle(result));
        });
    return promise.future();
  }
}
