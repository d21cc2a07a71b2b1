package dev.ferry.bench;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Publish → delivery latency at a moderate fixed rate (open loop): each publish forwards {@code
 * X-Due-At} = the moment it was sent (Unix ms with µs), so the sink's lateness is the whole path:
 * HTTP in, synced store, delivery, HTTP out. The sink verifies every signature meanwhile. No
 * instrument.
 */
final class LatencyWorkload implements Workload {
  private static final int CONNECTIONS = 16;

  @Override
  public void run(Lab lab, List<Row> rows) {
    BenchOptions o = lab.options;
    String name = "publish -> delivery latency at " + o.latencyRate() + "/s";
    Row p50 = new Row(name, "p50 ms", "ms", false, new Row.Informational());
    Row p99 = new Row(name, "p99 ms", "ms", false, new Row.AtMost(20, "ms"));
    rows.add(p50);
    rows.add(p99);
    Lab.Server sink = null;
    Lab.Server ferry = null;
    try {
      sink = lab.startSink("sink-latency", true);
      ferry = lab.startFerry("ferry-latency", o.heap(), Map.of());
      String uri = "/v2/publish/" + sink.url("/latency");
      Buffer body = Buffer.buffer(Bodies.MESSAGE);
      for (int round = 0; round < o.warmups() + o.runs(); round++) {
        boolean counted = round >= o.warmups();
        String label =
            counted
                ? "run " + (round - o.warmups() + 1) + "/" + o.runs()
                : "warm-up " + (round + 1);
        lab.resetSink(sink);
        Load.Result sent =
            new Load(lab.vertx, ferry.port())
                .fixedRate(
                    CONNECTIONS,
                    o.latencyRate(),
                    o.latencyDuration(),
                    () -> new Load.Req(HttpMethod.POST, uri, headers(lab), body));
        JsonObject stats =
            lab.awaitSink(sink, Duration.ofSeconds(60), s -> s.getLong("received") >= sent.ok());
        JsonObject late = stats.getJsonObject("latenessMs");
        long received = stats.getLong("received");
        if (sent.errors() > 0) {
          p99.note(label + ": " + sent.errors() + " publishes failed, first: " + sent.firstError());
        }
        if (received < sent.ok()) {
          p99.note(label + ": only " + received + " of " + sent.ok() + " delivered within 60 s");
        }
        if (stats.getLong("invalidSignatures") > 0 || stats.getLong("early") > 0) {
          p99.note(
              label
                  + ": "
                  + stats.getLong("invalidSignatures")
                  + " invalid signatures, "
                  + stats.getLong("early")
                  + " early");
        }
        if (late.getDouble("p50") == null)
          throw new IllegalStateException("no delivery arrived at the sink");
        lab.progress(
            name
                + " | Ferry "
                + label
                + ": p50 "
                + ResultTable.number(late.getDouble("p50"))
                + " ms, p99 "
                + ResultTable.number(late.getDouble("p99"))
                + " ms, max "
                + ResultTable.number(late.getDouble("max"))
                + " ms ("
                + received
                + " delivered, "
                + stats.getLong("verified")
                + " signatures verified)");
        if (counted) {
          p50.ferry.add(late.getDouble("p50"));
          p99.ferry.add(late.getDouble("p99"));
        }
      }
    } finally {
      lab.stop(ferry);
      lab.stop(sink);
    }
  }

  private static MultiMap headers(Lab lab) {
    Instant now = Instant.now();
    double millis = now.getEpochSecond() * 1000.0 + now.getNano() / 1_000_000.0;
    return lab.ferryHeaders("application/json")
        .add("Upstash-Forward-X-Due-At", String.format(Locale.ROOT, "%.3f", millis));
  }
}
