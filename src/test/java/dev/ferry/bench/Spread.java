package dev.ferry.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Load spread evenly over several servers (the replicas of one Ferry deployment, as a load balancer
 * would): the connections are split between them and one loop per server runs at the same time; the
 * results are summed.
 */
final class Spread {
  private Spread() {}

  /**
   * {@code connections} split over {@code servers} as evenly as possible, at least one each. Pure.
   */
  static List<Integer> split(int connections, int servers) {
    if (servers < 1) throw new IllegalArgumentException("servers must be >= 1, got " + servers);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < servers; i++) {
      out.add(Math.max(1, connections / servers + (i < connections % servers ? 1 : 0)));
    }
    return out;
  }

  /**
   * The results of loops that ran at the same time, as one: counts summed, the window the longest,
   * the first error the first one found, the slowest answer the slowest. Pure.
   */
  static Load.Result sum(List<Load.Result> results) {
    long ok = 0;
    long errors = 0;
    double seconds = 0;
    double slowest = 0;
    String firstError = null;
    for (Load.Result r : results) {
      ok += r.ok();
      errors += r.errors();
      seconds = Math.max(seconds, r.seconds());
      slowest = Math.max(slowest, r.slowestMillis());
      if (firstError == null) firstError = r.firstError();
    }
    return new Load.Result(ok, errors, seconds, firstError, slowest);
  }

  /** Closed loops against every server at once, {@link #split} connections each. */
  static Load.Result closedLoop(
      Lab lab,
      List<Lab.Server> servers,
      int connections,
      Load.Req req,
      Duration ramp,
      Duration window) {
    return onEach(
        servers,
        connections,
        (server, n) -> new Load(lab.vertx, server.port()).closedLoop(n, () -> req, ramp, window));
  }

  /** {@code requests} requests in all, split over the servers like the connections. */
  static Load.Result count(
      Lab lab,
      List<Lab.Server> servers,
      int connections,
      long requests,
      Load.Req req,
      Duration timeout) {
    List<Integer> shares = split((int) Math.min(requests, Integer.MAX_VALUE), servers.size());
    List<Integer> conns = split(connections, servers.size());
    List<CompletableFuture<Load.Result>> runs = new ArrayList<>();
    for (int i = 0; i < servers.size(); i++) {
      Lab.Server server = servers.get(i);
      int n = conns.get(i);
      int share = shares.get(i);
      runs.add(
          CompletableFuture.supplyAsync(
              () -> new Load(lab.vertx, server.port()).count(n, share, () -> req, timeout),
              OWN_THREAD));
    }
    return sum(runs.stream().map(CompletableFuture::join).toList());
  }

  private interface PerServer {
    Load.Result run(Lab.Server server, int connections);
  }

  private static Load.Result onEach(List<Lab.Server> servers, int connections, PerServer run) {
    List<Integer> conns = split(connections, servers.size());
    List<CompletableFuture<Load.Result>> runs = new ArrayList<>();
    for (int i = 0; i < servers.size(); i++) {
      Lab.Server server = servers.get(i);
      int n = conns.get(i);
      runs.add(CompletableFuture.supplyAsync(() -> run.run(server, n), OWN_THREAD));
    }
    return sum(runs.stream().map(CompletableFuture::join).toList());
  }

  /**
   * A thread per loop: each blocks until its loop ends, and the common pool may have one thread on
   * two cores.
   */
  private static final Executor OWN_THREAD = task -> new Thread(task, "bench-spread").start();
}
