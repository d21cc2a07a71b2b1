package dev.ferry.bench;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A Ferry that starts into a steady stream of publishes: how late deliveries are in each of the
 * first 30 s after it is ready. The sink and the load generator are warmed first (against a Ferry
 * that is then stopped), so what is left cold is Ferry alone; each counted run starts a new Ferry
 * over a new data directory. Rows: the start-up time (process start to its API answering), the
 * worst per-second p99 and the largest lateness of the 30 s; the progress lines show every second.
 */
final class ColdStartWorkload implements Workload {
  static final int RATE = 5000;
  static final Duration LENGTH = Duration.ofSeconds(30);

  @Override
  public void run(Lab lab, List<Row> rows) {
    BenchOptions o = lab.options;
    String name = "cold start into " + RATE + " publishes/s (first " + LENGTH.toSeconds() + " s)";
    Row startup = new Row(name, "start to ready s", "s", false, new Row.Informational());
    Row worstSecond =
        new Row(name, "worst p99 of a second, ms", "ms", false, new Row.Informational());
    Row max = new Row(name, "max lateness ms", "ms", false, new Row.AtMost(1000, "ms"));
    rows.add(startup);
    rows.add(worstSecond);
    rows.add(max);
    Lab.Server sink = null;
    try {
      sink = lab.startSink("sink-cold", true);
      Lab.Server warm = lab.startFerry("ferry-warming-the-harness", o.heap(), Map.of());
      try {
        for (int i = 0; i < Math.max(1, o.warmups()); i++) {
          JsonObject late = publish(lab, sink, warm, o.latencyDuration());
          lab.progress(
              name + " | harness warm-up " + (i + 1) + ": p99 " + late.getDouble("p99") + " ms");
        }
      } finally {
        lab.stop(warm);
      }
      for (int run = 1; run <= o.runs(); run++) {
        long started = System.nanoTime();
        Lab.Server ferry = lab.startFerry("ferry-cold-" + run, o.heap(), Map.of());
        double ready = (System.nanoTime() - started) / 1e9;
        try {
          JsonObject late = publish(lab, sink, ferry, LENGTH);
          JsonObject timeline = lab.sinkTimeline(sink, 1000);
          double worst = Timeline.worstP99(timeline);
          String label = name + " | Ferry run " + run + "/" + o.runs() + ": ";
          lab.progress(
              label
                  + "ready after "
                  + ResultTable.number(ready)
                  + " s; max lateness "
                  + ResultTable.number(late.getDouble("max"))
                  + " ms; "
                  + Timeline.perSecond(timeline));
          startup.ferry.add(ready);
          worstSecond.ferry.add(worst);
          max.ferry.add(late.getDouble("max"));
        } finally {
          lab.stop(ferry);
        }
      }
    } finally {
      lab.stop(sink);
    }
  }

  /**
   * Publishes at {@link #RATE} for {@code length}; the sink's lateness figures once all arrived.
   */
  private static JsonObject publish(Lab lab, Lab.Server sink, Lab.Server ferry, Duration length) {
    lab.resetSink(sink);
    Load.Result sent =
        LatencyWorkload.publishAtRate(lab, sink, ferry, RATE, length, "/cold").result();
    JsonObject stats =
        lab.awaitSink(sink, Duration.ofSeconds(120), s -> s.getLong("received") >= sent.ok());
    if (sent.errors() > 0 || stats.getLong("received") < sent.ok()) {
      throw new IllegalStateException(
          sent.errors()
              + " publishes failed (first: "
              + sent.firstError()
              + "), "
              + stats.getLong("received")
              + " of "
              + sent.ok()
              + " delivered");
    }
    return stats.getJsonObject("latenessMs");
  }
}
