package dev.ferry.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Ferry replicas on one shared Redis ({@code storage.kind=redis}; AOF on, {@code appendfsync
 * always}), with 1 and then 3 replicas, the load spread evenly over them. Batch ingest is measured
 * against the Redis instrument ({@code Instrument redis-batch}: the same bodies, one pipelined
 * {@code HSET} each, to the same Redis); end-to-end delivery has no instrument. Every row's notes
 * give, per message, Ferry's CPU (all replicas), Redis's CPU, and Redis's commands and round trips.
 */
final class RedisWorkloads {
  static final List<Integer> REPLICAS = List.of(1, 3);
  private static final String DELAY = "1h";
  private static final Duration RAMP = Duration.ofSeconds(1);

  private RedisWorkloads() {}

  /** The environment that puts a Ferry on the Redis at {@code redis}. */
  static Map<String, String> ferryOn(Lab.Server redis, Map<String, String> more) {
    Map<String, String> env = new java.util.HashMap<>(more);
    env.put("FERRY_STORAGE_KIND", "redis");
    env.put("FERRY_STORAGE_REDIS_ENDPOINTS", "redis://" + Control.HOST + ":" + redis.port());
    return env;
  }

  /** Starts replicas until there are {@code count}. */
  static void scaleTo(
      Lab lab, List<Lab.Server> ferries, int count, Lab.Server redis, Map<String, String> env) {
    while (ferries.size() < count) {
      String name = "ferry-redis-" + (ferries.size() + 1);
      ferries.add(lab.startFerry(name, lab.options.heap(), ferryOn(redis, env)));
      lab.progress("started " + name);
    }
  }

  static String label(BenchOptions o, int round) {
    return round >= o.warmups()
        ? "run " + (round - o.warmups() + 1) + "/" + o.runs()
        : "warm-up " + (round + 1);
  }

  /** Batch ingest (100 x ~100 B, delayed 1 h) vs. the Redis instrument, 1 and 3 replicas. */
  static final class Batch implements Workload {
    @Override
    public void run(Lab lab, List<Row> rows) {
      List<Row> mine = new ArrayList<>();
      for (int n : REPLICAS) {
        mine.add(
            new Row(
                "Redis batch publish, " + n + " replica(s) (100 x ~100 B, AOF always)",
                "messages/s",
                "msgs/s",
                true,
                new Row.RatioAtLeast(0.50)));
      }
      rows.addAll(mine);
      Lab.Server redis = null;
      Lab.Server instrument = null;
      List<Lab.Server> ferries = new ArrayList<>();
      try {
        redis = lab.startRedis("redis-batch");
        instrument =
            lab.startInstrument(
                "instrument-redis-batch",
                "redis-batch",
                lab.options.heap(),
                List.of("--redis", "redis://" + Control.HOST + ":" + redis.port()));
        Buffer body =
            Bodies.batch(
                Bodies.NOWHERE,
                PublishWorkloads.BATCH_ENTRIES,
                i -> new JsonObject().put("Upstash-Delay", DELAY));
        Load.Req toInstrument =
            new Load.Req(
                HttpMethod.POST,
                "/v2/batch",
                HttpHeaders.headers().add("Content-Type", "application/json"),
                body);
        Load.Req toFerry =
            new Load.Req(HttpMethod.POST, "/v2/batch", lab.ferryHeaders("application/json"), body);
        for (int i = 0; i < REPLICAS.size(); i++) {
          scaleTo(lab, ferries, REPLICAS.get(i), redis, Map.of());
          rounds(lab, mine.get(i), redis, instrument, toInstrument, ferries, toFerry);
        }
      } finally {
        lab.stopAll(ferries);
        lab.stop(instrument);
        lab.stop(redis);
      }
    }

    private static void rounds(
        Lab lab,
        Row row,
        Lab.Server redis,
        Lab.Server instrument,
        Load.Req toInstrument,
        List<Lab.Server> ferries,
        Load.Req toFerry) {
      BenchOptions o = lab.options;
      RedisCosts instrumentCosts = new RedisCosts("load generator (bench process)");
      RedisCosts ferryCosts = new RedisCosts("load generator (bench process)");
      for (int round = 0; round < o.warmups() + o.runs(); round++) {
        boolean counted = round >= o.warmups();
        String label = label(o, round);
        double i =
            measure(
                lab,
                row,
                "instrument " + label,
                redis,
                List.of(instrument),
                toInstrument,
                counted ? instrumentCosts : null);
        double f =
            measure(
                lab,
                row,
                "Ferry x" + ferries.size() + " " + label,
                redis,
                ferries,
                toFerry,
                counted ? ferryCosts : null);
        if (counted) {
          row.instrument.add(i);
          row.ferry.add(f);
        }
      }
      instrumentCosts.describe("instrument", "message").forEach(row::note);
      ferryCosts.describe("Ferry x" + ferries.size(), "message").forEach(row::note);
    }

    /** One closed-loop window over {@code servers}; messages/s answered inside the window. */
    private static double measure(
        Lab lab,
        Row row,
        String label,
        Lab.Server redis,
        List<Lab.Server> servers,
        Load.Req req,
        RedisCosts costs) {
      servers.forEach(s -> s.child().checkAlive());
      long self = ProcessHandle.current().pid();
      RedisCosts.Mark[] marks = new RedisCosts.Mark[2];
      Thread sampler =
          new Thread(
              () -> { // exactly the counted window, not the ramp before it
                try {
                  Thread.sleep(RAMP.toMillis());
                  marks[0] = RedisCosts.Mark.now(servers, self, redis);
                  Thread.sleep(lab.options.window().toMillis());
                  marks[1] = RedisCosts.Mark.now(servers, self, redis);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "bench-redis-sampler");
      if (costs != null) sampler.start();
      Load.Result r =
          Spread.closedLoop(
              lab, servers, lab.options.batchConnections(), req, RAMP, lab.options.window());
      double messages = r.ok() * (double) PublishWorkloads.BATCH_ENTRIES;
      if (costs != null) {
        try {
          sampler.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        if (marks[0] != null && marks[1] != null) costs.add(marks[0], marks[1], messages);
      }
      double value = messages / r.seconds();
      lab.progress(
          row.workload
              + " | "
              + label
              + ": "
              + ResultTable.number(value)
              + " "
              + row.unit
              + (r.errors() > 0 ? " (" + r.errors() + " failed)" : ""));
      if (r.errors() > 0) {
        row.note(label + ": " + r.errors() + " failed requests, first: " + r.firstError());
      }
      return value;
    }
  }
}
