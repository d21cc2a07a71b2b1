package dev.ferry.bench;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Publish → delivery latency at fixed rates (open loop), one rate after the other on one Ferry:
 * each publish forwards {@code X-Due-At} = the moment it was sent (Unix ms with µs), so the sink's
 * lateness is the whole path: HTTP in, synced store, delivery, HTTP out. The sink verifies every
 * signature meanwhile. The instrument is the relay ({@code RelayInstrument}): the same load against
 * a bare Vert.x process that only stores each body synced, answers, then delivers it signed and
 * records the outcome, run right before Ferry in every round, so what the machine adds to the tail
 * by itself is measured beside Ferry's. Each rate's rows also carry what explains a tail: the
 * lateness per second and the worst 100 ms slots (progress lines), how long publishes took to be
 * answered and how late the generator itself sent, and where the CPU of Ferry, the sink and the
 * generator went, with how busy the whole machine was.
 */
final class LatencyWorkload implements Workload {
  @Override
  public void run(Lab lab, List<Row> rows) {
    Lab.Server sink = null;
    Lab.Server relay = null;
    Lab.Server ferry = null;
    try {
      sink = lab.startSink("sink-latency", true);
      relay =
          lab.startInstrument(
              "instrument-relay",
              "relay",
              lab.options.heap(),
              List.of("--signing-key", Lab.CURRENT_KEY));
      ferry = lab.startFerry("ferry-latency", lab.options.heap(), Map.of());
      for (int rate : lab.options.latencyRates()) measure(lab, rows, sink, relay, ferry, rate);
    } finally {
      lab.stopAll(Arrays.asList(ferry, relay, sink));
    }
  }

  /** The p99 target at a rate: the performance budget's (loadtest/README.md). */
  static Row.Target target(int rate) {
    if (rate <= 500) return new Row.AtMost(20, "ms");
    if (rate <= 5000) return new Row.AtMost(5, "ms");
    if (rate <= 20_000) return new Row.AtMost(20, "ms");
    return new Row.Informational();
  }

  private static void measure(
      Lab lab, List<Row> rows, Lab.Server sink, Lab.Server relay, Lab.Server ferry, int rate) {
    BenchOptions o = lab.options;
    String name = "publish -> delivery latency at " + rate + "/s";
    Row p50 = new Row(name, "p50 ms", "ms", true, new Row.Informational());
    Row p99 = new Row(name, "p99 ms", "ms", true, target(rate));
    rows.add(p50);
    rows.add(p99);
    CpuAccount relayCpu = new CpuAccount("sink");
    CpuAccount ferryCpu = new CpuAccount("sink");
    CpuAccount generatorCpu = CpuAccount.serverOnly();
    long[] machineBusy = new long[2];
    for (int round = 0; round < o.warmups() + o.runs(); round++) {
      boolean counted = round >= o.warmups();
      String label =
          counted ? "run " + (round - o.warmups() + 1) + "/" + o.runs() : "warm-up " + (round + 1);
      JsonObject relayLate =
          once(
              lab,
              sink,
              relay,
              rate,
              name + " | instrument " + label,
              p99,
              counted ? new Accounts(relayCpu, null, null) : Accounts.NONE);
      JsonObject ferryLate =
          once(
              lab,
              sink,
              ferry,
              rate,
              name + " | Ferry " + label,
              p99,
              counted ? new Accounts(ferryCpu, generatorCpu, machineBusy) : Accounts.NONE);
      if (counted) {
        p50.instrument.add(relayLate.getDouble("p50"));
        p99.instrument.add(relayLate.getDouble("p99"));
        p50.ferry.add(ferryLate.getDouble("p50"));
        p99.ferry.add(ferryLate.getDouble("p99"));
      }
    }
    String relayNote = relayCpu.describe("instrument (relay)", "message");
    if (relayNote != null) p99.note(relayNote);
    String ferryNote = ferryCpu.describe("Ferry", "message");
    if (ferryNote != null) p99.note(ferryNote);
    String generatorNote = generatorCpu.describe("load generator (bench process)", "message");
    if (generatorNote != null) p99.note(generatorNote);
    if (machineBusy[1] > 0) {
      p99.note(
          String.format(
              Locale.ROOT,
              "machine busy %.0f%% of its cores over Ferry's counted runs (every process)",
              100.0 * machineBusy[0] / machineBusy[1]));
    }
  }

  /**
   * Where a counted round adds what it used (warm-up rounds use {@link #NONE}): the CPU of the
   * server measured and of its sink, the generator's CPU, and the whole machine's busy and total
   * ticks; each may be null, meaning not counted.
   */
  private record Accounts(CpuAccount server, CpuAccount generator, long[] machineBusy) {
    static final Accounts NONE = new Accounts(null, null, null);
  }

  /**
   * One run at {@code rate} against {@code server}: prints its progress lines, notes what failed on
   * {@code row}, adds the CPU of the accounts given (null: not counted) and returns the sink's
   * lateness figures (ms).
   */
  private static JsonObject once(
      Lab lab,
      Lab.Server sink,
      Lab.Server server,
      int rate,
      String prefix,
      Row row,
      Accounts accounts) {
    CpuAccount serverCpu = accounts.server();
    CpuAccount generatorCpu = accounts.generator();
    long[] machineBusy = accounts.machineBusy();
    long me = ProcessHandle.current().pid();
    lab.resetSink(sink);
    CpuAccount.Window serverStart = CpuAccount.Window.now(server.child().pid(), sink.child().pid());
    CpuAccount.Window generatorStart = CpuAccount.Window.now(List.of(me), me);
    long[] machineStart = CpuAccount.machine();
    Load.Paced paced =
        publishAtRate(lab, sink, server, rate, lab.options.latencyDuration(), "/latency");
    Load.Result sent = paced.result();
    if (paced.openNote() != null) row.note(prefix + ": " + paced.openNote());
    JsonObject stats =
        lab.awaitSink(sink, Duration.ofSeconds(60), s -> s.getLong("received") >= sent.ok());
    if (serverCpu != null) {
      serverCpu.add(
          serverStart, CpuAccount.Window.now(server.child().pid(), sink.child().pid()), sent.ok());
    }
    if (generatorCpu != null) {
      generatorCpu.add(generatorStart, CpuAccount.Window.now(List.of(me), me), sent.ok());
    }
    if (machineBusy != null) {
      long[] machineEnd = CpuAccount.machine();
      machineBusy[0] += machineEnd[0] - machineStart[0];
      machineBusy[1] += machineEnd[1] - machineStart[1];
    }
    JsonObject late = stats.getJsonObject("latenessMs");
    long received = stats.getLong("received");
    if (sent.errors() > 0) {
      row.note(prefix + ": " + sent.errors() + " publishes failed, first: " + sent.firstError());
    }
    if (received < sent.ok()) {
      row.note(prefix + ": only " + received + " of " + sent.ok() + " delivered within 60 s");
    }
    if (stats.getLong("invalidSignatures") > 0 || stats.getLong("early") > 0) {
      row.note(
          prefix
              + ": "
              + stats.getLong("invalidSignatures")
              + " invalid signatures, "
              + stats.getLong("early")
              + " early");
    }
    if (late.getDouble("p50") == null)
      throw new IllegalStateException(prefix + ": no delivery arrived at the sink");
    lab.progress(
        prefix
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
            + " signatures verified); "
            + answers(paced));
    lab.progress(prefix + ": " + Timeline.perSecond(lab.sinkTimeline(sink, 1000)));
    lab.progress(prefix + ": " + Timeline.worst(lab.sinkTimeline(sink, 100), 8));
    if (serverCpu != null)
      row.note(prefix.substring(prefix.indexOf("| ") + 2) + ": " + answers(paced));
    return late;
  }

  /** The generator's own share: publish answer times and how late it sent against its schedule. */
  private static String answers(Load.Paced paced) {
    return "publishes answered in p50 "
        + ResultTable.number(paced.answerP50())
        + " ms, p99 "
        + ResultTable.number(paced.answerP99())
        + " ms; generator sent p99 "
        + ResultTable.number(paced.sendLagP99())
        + " ms behind its schedule";
  }

  /**
   * Publishes to the sink's {@code path} through Ferry at {@code rate} for {@code length}, open
   * loop over {@code --latency-connections} connections opened first; each publish carries the
   * moment it was sent as the sink's due time.
   */
  static Load.Paced publishAtRate(
      Lab lab, Lab.Server sink, Lab.Server ferry, int rate, Duration length, String path) {
    String uri = "/v2/publish/" + sink.url(path);
    Buffer body = Buffer.buffer(Bodies.MESSAGE);
    return new Load(lab.vertx, ferry.port())
        .fixedRate(
            lab.options.latencyConnections(),
            rate,
            length,
            "/health/live",
            () -> new Load.Req(HttpMethod.POST, uri, headers(lab), body));
  }

  /** The bench tenant's headers, with the moment of sending as the sink's due time. */
  private static MultiMap headers(Lab lab) {
    Instant now = Instant.now();
    double millis = now.getEpochSecond() * 1000.0 + now.getNano() / 1_000_000.0;
    return lab.ferryHeaders("application/json")
        .add("Upstash-Forward-X-Due-At", String.format(Locale.ROOT, "%.3f", millis));
  }
}
