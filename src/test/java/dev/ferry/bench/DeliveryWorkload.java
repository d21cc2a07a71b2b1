package dev.ferry.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * End-to-end delivery rate to the sink over HTTP/1.1 keep-alive, against two instruments, each a
 * JVM of its own posting to the sink for the window: the bare one (an HttpClient and nothing else)
 * and the signing one (each request also signed as Ferry signs it, each outcome written to RocksDB
 * unsynced, see {@code SignAndRecord}). Ferry: N messages are preloaded with one common {@code
 * Upstash-Not-Before} a little ahead, so they are stored before any is due; then the scheduler
 * fires them and delivery runs flat out. Every rate is measured at the sink, from the first arrival
 * to the last. Ferry's runs are compared with both; the target applies to the signing instrument,
 * since a gateway cannot skip signing and recording, while the bare ratio is shown for context.
 */
final class DeliveryWorkload implements Workload {
  static final String BARE = "end-to-end delivery to a local sink (HTTP/1.1 keep-alive)";
  static final String SIGNING = "end-to-end delivery, instrument signs + records outcomes";
  private static final int PRELOAD_CONNECTIONS = 8;

  /**
   * Warm-up rounds go on (at most {@link #MAX_EXTRA_WARMUPS} beyond {@code --warmups}) while
   * Ferry's JIT compiler threads take more than this share of its CPU in the last one: the counted
   * rounds are meant to measure compiled code, and Ferry's delivery path is far more code than the
   * instruments' (4.1 µs of every delivery still went to compiling in the counted rounds of a full
   * run with two warm-ups; loadtest/RESULTS.md, 2026-12-07 08:04).
   */
  static final double SETTLED_COMPILER_SHARE = 0.02;

  static final int MAX_EXTRA_WARMUPS = 3;

  /**
   * The bare instrument's row (informational) and the signing instrument's (judged: Ferry >= 70% of
   * it).
   */
  static List<Row> rows() {
    return List.of(
        new Row(BARE, "deliveries/s", "deliveries/s", true, new Row.Informational()),
        new Row(SIGNING, "deliveries/s", "deliveries/s", true, new Row.RatioAtLeast(0.70)));
  }

  @Override
  public void run(Lab lab, List<Row> rows) {
    BenchOptions o = lab.options;
    List<Row> mine = rows();
    Row bareRow = mine.get(0);
    Row signingRow = mine.get(1);
    rows.addAll(mine);
    Lab.Server sink = null;
    Lab.Server bare = null;
    Lab.Server signing = null;
    Lab.Server ferry = null;
    try {
      sink = lab.startSink("sink-delivery", false);
      bare = lab.startInstrument("instrument-deliver", "deliver", o.heap());
      signing = lab.startInstrument("instrument-deliver-signed", "deliver-signed", o.heap());
      ferry =
          lab.startFerry(
              "ferry-delivery",
              o.heap(),
              Map.of(
                  "FERRY_DELIVERY_MAX_CONNECTIONS_PER_HOST",
                  String.valueOf(o.deliveryConnections())));
      double preloadRate = 10_000; // messages/s; refined by every preload
      CpuAccount bareCpu = new CpuAccount("sink");
      CpuAccount signingCpu = new CpuAccount("sink");
      CpuAccount ferryCpu = new CpuAccount("sink");
      int warmups = o.warmups();
      for (int round = 0; round < warmups + o.runs(); round++) {
        boolean counted = round >= warmups;
        String label =
            counted ? "run " + (round - warmups + 1) + "/" + o.runs() : "warm-up " + (round + 1);
        double b = instrumentRun(lab, bareRow, label, sink, bare, counted ? bareCpu : null);
        double s =
            instrumentRun(lab, signingRow, label, sink, signing, counted ? signingCpu : null);
        Double f = null;
        double compilerShare = 0;
        for (int attempt = 0; attempt < 2 && f == null; attempt++) {
          FerryRun run =
              ferryRun(lab, signingRow, label, sink, ferry, preloadRate, counted ? ferryCpu : null);
          preloadRate = run.preloadRate();
          f = run.rate();
          compilerShare = run.compilerShare();
        }
        if (round == warmups - 1
            && warmups < o.warmups() + MAX_EXTRA_WARMUPS
            && compilerShare > SETTLED_COMPILER_SHARE) {
          warmups++;
          lab.progress(
              String.format(
                  Locale.ROOT,
                  "%s | Ferry's compiler threads took %.0f%% of its CPU in %s: one more warm-up",
                  signingRow.workload,
                  100 * compilerShare,
                  label));
        }
        if (counted) {
          bareRow.instrument.add(b);
          signingRow.instrument.add(s);
          if (f != null) {
            bareRow.ferry.add(f);
            signingRow.ferry.add(f);
          }
        }
      }
      String bareNote = bareCpu.describe("bare instrument", "delivery");
      if (bareNote != null) bareRow.note(bareNote);
      for (String line :
          new String[] {
            signingCpu.describe("signing instrument", "delivery"),
            ferryCpu.describe("Ferry (from the due time to 1 s after the last arrival)", "delivery")
          }) {
        if (line != null) signingRow.note(line);
      }
    } finally {
      lab.stop(ferry);
      lab.stop(signing);
      lab.stop(bare);
      lab.stop(sink);
    }
  }

  private double instrumentRun(
      Lab lab, Row row, String label, Lab.Server sink, Lab.Server instrument, CpuAccount cpu) {
    BenchOptions o = lab.options;
    lab.resetSink(sink);
    long seconds = o.window().toSeconds();
    CpuAccount.Window start = CpuAccount.Window.now(instrument.child().pid(), sink.child().pid());
    JsonObject answer =
        lab.control.json(
            HttpMethod.POST,
            instrument.port(),
            "/deliver?sinkPort="
                + sink.port()
                + "&path=/instrument&seconds="
                + seconds
                + "&connections="
                + o.deliveryConnections()
                + "&instances="
                + Runtime.getRuntime().availableProcessors(),
            Duration.ofSeconds(seconds + 60));
    if (cpu != null) {
      cpu.add(
          start,
          CpuAccount.Window.now(instrument.child().pid(), sink.child().pid()),
          answer.getLong("sent", 0L));
    }
    JsonObject stats = lab.sinkStats(sink);
    double rate = arrivalRate(stats);
    lab.progress(
        row.workload + " | instrument " + label + ": " + ResultTable.number(rate) + " " + row.unit);
    if (answer.getLong("errors", 0L) > 0)
      row.note("instrument " + label + ": " + answer.getLong("errors") + " errors");
    return rate;
  }

  /**
   * {@code compilerShare}: of Ferry's CPU while it delivered ({@link CpuAccount#compilerShare}).
   */
  private record FerryRun(Double rate, double preloadRate, double compilerShare) {}

  /**
   * Preloads, waits for every message to arrive; the rate is null when the preload overran the due
   * time.
   */
  private FerryRun ferryRun(
      Lab lab,
      Row row,
      String label,
      Lab.Server sink,
      Lab.Server ferry,
      double preloadRate,
      CpuAccount cpu) {
    BenchOptions o = lab.options;
    int n = o.deliveryMessages();
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
        new Load(lab.vertx, ferry.port())
            .count(PRELOAD_CONNECTIONS, requests, () -> req, Duration.ofSeconds(300));
    if (preload.errors() > 0)
      throw new IllegalStateException("preload failed: " + preload.firstError());
    long total = preload.ok() * PublishWorkloads.BATCH_ENTRIES;
    double measuredPreloadRate = total / preload.seconds();
    long finishedAt = System.currentTimeMillis();
    if (finishedAt > dueSeconds * 1000 - 200) {
      lab.progress(
          row.workload + " | Ferry " + label + ": preload ran past the due time; repeating");
      lab.awaitSink(sink, Duration.ofSeconds(300), s -> s.getLong("received") >= total);
      return new FerryRun(null, measuredPreloadRate, 0);
    }
    Control.sleep(
        Math.max(
            0, dueSeconds * 1000 - 100 - System.currentTimeMillis())); // idle until just before due
    CpuAccount.Window start = CpuAccount.Window.now(ferry.child().pid(), sink.child().pid());
    JsonObject stats =
        lab.awaitSink(
            sink,
            Duration.ofSeconds(dueSeconds - finishedAt / 1000 + 300),
            s -> s.getLong("received") >= total);
    if (stats.getLong("received") < total) {
      row.note(
          "Ferry "
              + label
              + ": only "
              + stats.getLong("received")
              + " of "
              + total
              + " delivered in time");
    }
    double rate = arrivalRate(stats);
    lab.progress(
        row.workload
            + " | Ferry "
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
    Control.sleep(1000); // let the last outcomes be written before the next measurement
    CpuAccount.Window end = CpuAccount.Window.now(ferry.child().pid(), sink.child().pid());
    if (cpu != null && stats.getLong("received") >= total) cpu.add(start, end, total);
    return new FerryRun(rate, measuredPreloadRate, CpuAccount.compilerShare(start, end));
  }

  /** Arrivals per second between the first and the last arrival the sink saw. */
  static double arrivalRate(JsonObject stats) {
    long received = stats.getLong("received");
    Double first = stats.getDouble("firstArrivalMs");
    Double last = stats.getDouble("lastArrivalMs");
    if (received < 2 || first == null || last == null || last <= first) return 0;
    return (received - 1) / ((last - first) / 1000.0);
  }
}
