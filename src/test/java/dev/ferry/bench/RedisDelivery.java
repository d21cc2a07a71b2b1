package dev.ferry.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * End-to-end delivery from Ferry replicas on one shared Redis to a local sink, 1 and then 3
 * replicas: as {@link DeliveryWorkload}'s Ferry runs (a preload with one common {@code
 * Upstash-Not-Before} a little ahead, spread over the replicas, then delivery flat out, the rate
 * measured at the sink from first to last arrival), with no instrument. The notes give, per
 * delivery, Ferry's CPU (all replicas) and the sink's, Redis's CPU, and Redis's commands and round
 * trips, from the due time to 1 s after the last arrival.
 */
final class RedisDelivery implements Workload {
  private static final int PRELOAD_CONNECTIONS = 8;

  @Override
  public void run(Lab lab, List<Row> rows) {
    BenchOptions o = lab.options;
    List<Row> mine = new ArrayList<>();
    for (int n : RedisWorkloads.REPLICAS) {
      mine.add(
          new Row(
              "Redis end-to-end delivery, " + n + " replica(s) (AOF always)",
              "deliveries/s",
              "deliveries/s",
              false,
              new Row.Informational()));
    }
    rows.addAll(mine);
    Lab.Server sink = null;
    Lab.Server redis = null;
    List<Lab.Server> ferries = new ArrayList<>();
    Map<String, String> env =
        Map.of("FERRY_DELIVERY_MAX_CONNECTIONS_PER_HOST", String.valueOf(o.deliveryConnections()));
    try {
      sink = lab.startSink("sink-redis-delivery", false);
      redis = lab.startRedis("redis-delivery");
      double preloadRate = 5_000; // messages/s; refined by every preload
      for (int i = 0; i < RedisWorkloads.REPLICAS.size(); i++) {
        Row row = mine.get(i);
        RedisWorkloads.scaleTo(lab, ferries, RedisWorkloads.REPLICAS.get(i), redis, env);
        RedisCosts costs = new RedisCosts("sink");
        for (int round = 0; round < o.warmups() + o.runs(); round++) {
          boolean counted = round >= o.warmups();
          String label = "Ferry x" + ferries.size() + " " + RedisWorkloads.label(o, round);
          Double rate = null;
          for (int attempt = 0; attempt < 2 && rate == null; attempt++) {
            double[] measured =
                once(lab, row, label, sink, redis, ferries, preloadRate, counted ? costs : null);
            preloadRate = measured[1];
            rate = Double.isNaN(measured[0]) ? null : measured[0];
          }
          if (counted && rate != null) row.ferry.add(rate);
        }
        costs.describe("Ferry x" + ferries.size(), "delivery").forEach(row::note);
      }
    } finally {
      lab.stopAll(ferries);
      lab.stop(redis);
      lab.stop(sink);
    }
  }

  /**
   * One preload and its delivery: {rate (NaN when the preload overran the due time), preload rate}.
   */
  private static double[] once(
      Lab lab,
      Row row,
      String label,
      Lab.Server sink,
      Lab.Server redis,
      List<Lab.Server> ferries,
      double preloadRate,
      RedisCosts costs) {
    int n = lab.options.deliveryMessages();
    lab.resetSink(sink);
    long margin = 2000 + (long) (2.0 * n / preloadRate * 1000);
    long dueSeconds = (System.currentTimeMillis() + margin) / 1000 + 1;
    Buffer body =
        Bodies.batch(
            sink.url("/ferry"),
            PublishWorkloads.BATCH_ENTRIES,
            i -> new JsonObject().put("Upstash-Not-Before", String.valueOf(dueSeconds)));
    Load.Req req =
        new Load.Req(HttpMethod.POST, "/v2/batch", lab.ferryHeaders("application/json"), body);
    int requests = (n + PublishWorkloads.BATCH_ENTRIES - 1) / PublishWorkloads.BATCH_ENTRIES;
    Load.Result preload =
        Spread.count(lab, ferries, PRELOAD_CONNECTIONS, requests, req, Duration.ofSeconds(300));
    if (preload.ok() == 0)
      throw new IllegalStateException("preload failed: " + preload.firstError());
    if (preload.errors() > 0) { // Ferry refused some (a 503 when Redis is slow): deliver the rest
      row.note(
          label
              + ": "
              + preload.errors()
              + " preload requests failed, first: "
              + preload.firstError());
    }
    long total = preload.ok() * PublishWorkloads.BATCH_ENTRIES;
    double measuredPreloadRate = total / preload.seconds();
    long finishedAt = System.currentTimeMillis();
    if (finishedAt > dueSeconds * 1000 - 200) {
      lab.progress(row.workload + " | " + label + ": preload ran past the due time; repeating");
      lab.awaitSink(sink, Duration.ofSeconds(300), s -> s.getLong("received") >= total);
      return new double[] {Double.NaN, measuredPreloadRate};
    }
    Control.sleep(Math.max(0, dueSeconds * 1000 - 100 - System.currentTimeMillis()));
    RedisCosts.Mark start = RedisCosts.Mark.now(ferries, sink.child().pid(), redis);
    JsonObject stats =
        lab.awaitSink(
            sink,
            Duration.ofSeconds(dueSeconds - finishedAt / 1000 + 300),
            s -> s.getLong("received") >= total);
    if (stats.getLong("received") < total) {
      row.note(
          label + ": only " + stats.getLong("received") + " of " + total + " delivered in time");
    }
    double rate = DeliveryWorkload.arrivalRate(stats);
    lab.progress(
        row.workload
            + " | "
            + label
            + ": "
            + ResultTable.number(rate)
            + " "
            + row.unit
            + " ("
            + total
            + " messages; preload "
            + ResultTable.number(measuredPreloadRate)
            + " msgs/s)");
    Control.sleep(1000); // the last outcomes are written before the next measurement
    if (costs != null && stats.getLong("received") >= total) {
      costs.add(start, RedisCosts.Mark.now(ferries, sink.child().pid(), redis), total);
    }
    return new double[] {rate, measuredPreloadRate};
  }
}
