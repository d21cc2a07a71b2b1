package dev.ferry.bench;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Many delayed messages pending: heap bytes per pending message, and firing lateness of a sample of
 * near-due messages while they are pending. Instrument: a bare (due, id) heap with one timer.
 * Ferry: messages published in batches with delays spread over 1–10 minutes (longer past a million,
 * see {@link #spread}), with {@code delivery.horizon = 15m} so every one of them is in the
 * in-memory index. Heap is the live heap after a full GC (jcmd), after loading minus before. Each
 * run uses fresh processes; warm-up happens inside the run, before the baseline, and is not
 * measured.
 */
final class PendingWorkload implements Workload {
  static final long MIN_DELAY_MS = 60_000;
  static final long MAX_DELAY_MS = 600_000;
  static final long SAMPLE_MIN_MS = 10_000;
  static final long SAMPLE_MAX_MS = 20_000;
  private static final int LOAD_CONNECTIONS = 16;

  /**
   * The bulk's delays grow with its size past a million, so that it falls due at the same rate
   * (about 1,850 a second) and does not start firing while it is still being loaded: 10 M messages
   * spread over 1-10 minutes fired 18,500 a second, more than delivery does on two cores, and the
   * samples then waited behind that backlog.
   */
  static long spread(int pending) {
    return Math.max(1, pending / 1_000_000);
  }

  /** The shortest delay of a bulk of {@code pending} messages. */
  static long minDelayMs(int pending) {
    return MIN_DELAY_MS * spread(pending);
  }

  /** The longest delay of a bulk of {@code pending} messages. */
  static long maxDelayMs(int pending) {
    return MAX_DELAY_MS * spread(pending);
  }

  @Override
  public void run(Lab lab, List<Row> rows) {
    BenchOptions o = lab.options;
    long minDelay = minDelayMs(o.pending());
    long maxDelay = maxDelayMs(o.pending());
    String name =
        "pending: "
            + count(o.pending())
            + " delayed "
            + minDelay / 60_000
            + "-"
            + maxDelay / 60_000
            + " min";
    Row heap = new Row(name, "heap bytes per pending message", "B", true, new Row.AtMost(100, "B"));
    Row late =
        new Row(
            name,
            "p99 firing lateness ms (" + o.sample() + " due in 10-20 s)",
            "ms",
            true,
            new Row.AtMost(10, "ms"));
    rows.add(heap);
    rows.add(late);
    Lab.Server sink = null;
    try {
      sink = lab.startSink("sink-pending", true);
      for (int run = 1; run <= o.runs(); run++) {
        String label = "run " + run + "/" + o.runs();
        instrumentRun(lab, heap, late, label, sink, run);
        ferryRun(lab, heap, late, label, sink, run);
      }
    } finally {
      lab.stop(sink);
    }
  }

  private void instrumentRun(Lab lab, Row heap, Row late, String label, Lab.Server sink, int run) {
    BenchOptions o = lab.options;
    Lab.Server instrument = lab.startInstrument("instrument-heap-" + run, "heap", o.pendingHeap());
    try {
      // warm-up, as Ferry gets one: the classes and one-time structures of filling and firing exist
      // before the baseline
      lab.resetSink(sink);
      lab.control.json(HttpMethod.POST, instrument.port(), "/fill?n=20000", Duration.ofSeconds(60));
      lab.control.json(
          HttpMethod.POST,
          instrument.port(),
          "/sample?n=200&minMs=500&maxMs=1500&sinkPort=" + sink.port() + "&path=/warm",
          Duration.ofSeconds(60));
      lab.awaitSink(sink, Duration.ofSeconds(30), s -> s.getLong("received") >= 200);
      lab.control.json(HttpMethod.POST, instrument.port(), "/clear", Duration.ofSeconds(60));
      long before = lab.liveHeap(instrument);
      lab.control.json(
          HttpMethod.POST,
          instrument.port(),
          "/fill?n="
              + o.pending()
              + "&minMs="
              + minDelayMs(o.pending())
              + "&maxMs="
              + maxDelayMs(o.pending()),
          Duration.ofSeconds(120));
      long after = lab.liveHeap(instrument);
      double perMessage = (after - before) / (double) o.pending();
      lab.resetSink(sink);
      lab.control.json(
          HttpMethod.POST,
          instrument.port(),
          "/sample?n="
              + o.sample()
              + "&minMs="
              + SAMPLE_MIN_MS
              + "&maxMs="
              + SAMPLE_MAX_MS
              + "&sinkPort="
              + sink.port()
              + "&path=/instrument",
          Duration.ofSeconds(30));
      JsonObject stats = awaitSample(lab, sink, o.sample());
      Lateness lateness = Lateness.ofSink(stats);
      Double p99 = lateness.p99();
      lab.progress(
          heap.workload
              + " | instrument "
              + label
              + ": "
              + ResultTable.number(perMessage)
              + " B/msg, "
              + lateness);
      heap.instrument.add(perMessage);
      if (p99 != null) late.instrument.add(p99);
    } finally {
      lab.stop(instrument);
    }
  }

  private void ferryRun(Lab lab, Row heap, Row late, String label, Lab.Server sink, int run) {
    BenchOptions o = lab.options;
    // Ferry's defaults otherwise: the 1M bulk fills overload.maxDueInMemory exactly, and the
    // samples, due first, must still go into the in-memory index (before that was fixed, they
    // waited in the store and the row read "n/a")
    Lab.Server ferry =
        lab.startFerry(
            "ferry-pending-" + run, o.pendingHeap(), Map.of("FERRY_DELIVERY_HORIZON", "15m"));
    try {
      Load load = new Load(lab.vertx, ferry.port());
      // warm-up: ingest beyond the horizon, and a few deliveries through the scheduler
      load.count(
          LOAD_CONNECTIONS,
          50,
          () -> batch(lab, Bodies.NOWHERE, 3_600_000, 3_600_001),
          Duration.ofSeconds(120));
      lab.resetSink(sink);
      load.count(2, 2, () -> batch(lab, sink.url("/warm"), 500, 1500), Duration.ofSeconds(60));
      lab.awaitSink(sink, Duration.ofSeconds(30), s -> s.getLong("received") >= 200);

      long before = lab.liveHeap(ferry);
      lab.resetSink(sink);
      long started = System.nanoTime();
      int requests = o.pending() / PublishWorkloads.BATCH_ENTRIES;
      Load.Result loaded =
          load.count(
              LOAD_CONNECTIONS,
              requests,
              () -> batch(lab, sink.url("/bulk"), minDelayMs(o.pending()), maxDelayMs(o.pending())),
              Duration.ofSeconds(600));
      if (loaded.errors() > 0)
        throw new IllegalStateException("loading failed: " + loaded.firstError());
      long stored = loaded.ok() * PublishWorkloads.BATCH_ENTRIES;
      long after = lab.liveHeap(ferry);
      long fired =
          lab.sinkStats(sink).getLong("received"); // bulk messages already due and delivered
      double perMessage = (after - before) / (double) (stored - fired);
      if (fired > 0)
        heap.note("Ferry " + label + ": loading took long enough that " + fired + " had fired");
      lab.progress(
          heap.workload
              + " | Ferry "
              + label
              + ": loaded "
              + stored
              + " in "
              + ResultTable.number((System.nanoTime() - started) / 1e9)
              + " s; "
              + ResultTable.number(perMessage)
              + " B/msg");

      lab.resetSink(sink);
      PendingSamples samples =
          PendingSamples.publish(lab, ferry, sink, SAMPLE_MIN_MS, SAMPLE_MAX_MS);
      JsonObject stats = awaitSample(lab, sink, samples.dueAt().size());
      JsonObject arrivals = lab.sinkArrivals(sink);
      Lateness exact = Lateness.of(samples.dueAt(), arrivals);
      // only the samples carry X-Due-At, so other arrivals (bulk messages already due) cannot enter
      // the lateness
      // figures; they are counted here because they load Ferry and the sink while the samples fire
      long others =
          stats.getLong("received")
              - stats.getJsonObject("latenessMs").getLong("count")
              - stats.getLong("early");
      lab.progress(
          heap.workload
              + " | Ferry "
              + label
              + ": "
              + exact
              + " (from Ferry's notBefore); from X-Due-At"
              + " (send time + delay, overstated by the publish's transit; the sample publishes took "
              + ResultTable.number(samples.medianMillis())
              + " ms median, "
              + ResultTable.number(samples.slowestMillis())
              + " ms at most): "
              + Lateness.ofSink(stats)
              + (others > 0 ? "; " + others + " other arrivals meanwhile" : ""));
      if (exact.arrived() < samples.dueAt().size()) {
        late.note(
            "Ferry "
                + label
                + ": only "
                + exact.arrived()
                + " of "
                + samples.dueAt().size()
                + " samples arrived");
      }
      if (others > 0)
        late.note(
            "Ferry " + label + ": " + others + " bulk messages arrived while the samples fired");
      if (exact.early() > 0 || stats.getLong("invalidSignatures") > 0) {
        late.note(
            "Ferry "
                + label
                + ": "
                + exact.early()
                + " early, "
                + stats.getLong("invalidSignatures")
                + " invalid signatures");
      }
      Double p99 = exact.p99();
      heap.ferry.add(perMessage);
      if (p99 != null) late.ferry.add(p99);
    } finally {
      lab.stop(ferry);
    }
  }

  /** A batch of messages each delayed by a random [min, max) ms. */
  private static Load.Req batch(Lab lab, String destination, long minMs, long maxMs) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return new Load.Req(
        HttpMethod.POST,
        "/v2/batch",
        lab.ferryHeaders("application/json"),
        Bodies.batch(
            destination,
            PublishWorkloads.BATCH_ENTRIES,
            i -> new JsonObject().put("Upstash-Delay", random.nextLong(minMs, maxMs) + "ms")));
  }

  private static JsonObject awaitSample(Lab lab, Lab.Server sink, int n) {
    return lab.awaitSink(
        sink,
        Duration.ofMillis(SAMPLE_MAX_MS + 60_000),
        s -> s.getJsonObject("latenessMs").getLong("count") + s.getLong("early") >= n);
  }

  private static String count(int n) {
    return n % 1_000_000 == 0
        ? n / 1_000_000 + "M"
        : n % 1000 == 0 ? n / 1000 + "k" : String.valueOf(n);
  }
}
