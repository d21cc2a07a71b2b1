package dev.ferry.tools;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the sink has seen since start or the last reset: arrivals, signature checks, and the
 * lateness of requests that said when they were due. Thread-safe: the sink's event loops record,
 * {@code GET /stats} reads.
 *
 * <p>Lateness is kept exactly (one long of microseconds per sample, up to {@link #MAX_SAMPLES};
 * beyond that only the count and the maximum grow), so percentiles are exact rather than bucketed.
 */
public final class SinkStats {
  static final int MAX_SAMPLES = 1 << 22;

  /** Arrival times kept by message id; past this many only the aggregate figures grow. */
  static final int MAX_ARRIVALS = 100_000;

  private final LongAdder received = new LongAdder();
  private final LongAdder verified = new LongAdder();
  private final LongAdder invalid = new LongAdder();
  private final LongAdder early = new LongAdder();

  /** Wall-clock microseconds of the first and last arrival since the reset; 0 = none yet. */
  private final AtomicLong firstMicros = new AtomicLong();

  private final AtomicLong lastMicros = new AtomicLong();
  private long[] lateness = new long[1024]; // guarded by this
  private long[] dueAt = new long[1024]; // guarded by this; the due time of lateness[i]
  private int samples; // guarded by this
  private long latenessCount; // guarded by this
  private long latenessMax; // guarded by this
  private Map<String, Long> arrivals = new HashMap<>(); // guarded by this

  /** One request arrived at {@code nowMicros} (Unix µs). */
  public void arrived(long nowMicros) {
    received.increment();
    firstMicros.compareAndSet(0, nowMicros);
    lastMicros.accumulateAndGet(nowMicros, Math::max);
  }

  public void signature(boolean valid) {
    (valid ? verified : invalid).increment();
  }

  /**
   * A request due at {@code dueMicros} arrived at {@code nowMicros}; earlier than due counts as
   * early. Its arrival is also kept by {@code messageId} (when not null), so a publisher that
   * learns the exact due time from Ferry ({@code notBefore}) can compute lateness without the
   * transit of its publish request.
   */
  public void due(long dueMicros, long nowMicros, String messageId) {
    long late = nowMicros - dueMicros;
    if (late < 0) early.increment();
    synchronized (this) {
      if (messageId != null && arrivals.size() < MAX_ARRIVALS) arrivals.put(messageId, nowMicros);
      if (late < 0) return;
      latenessCount++;
      latenessMax = Math.max(latenessMax, late);
      if (samples == MAX_SAMPLES) return;
      if (samples == lateness.length) {
        lateness = Arrays.copyOf(lateness, Math.min(MAX_SAMPLES, samples * 2));
        dueAt = Arrays.copyOf(dueAt, lateness.length);
      }
      dueAt[samples] = dueMicros;
      lateness[samples++] = late;
    }
  }

  public synchronized void reset() {
    received.reset();
    verified.reset();
    invalid.reset();
    early.reset();
    firstMicros.set(0);
    lastMicros.set(0);
    lateness = new long[1024];
    dueAt = new long[1024];
    samples = 0;
    latenessCount = 0;
    latenessMax = 0;
    arrivals = new HashMap<>();
  }

  /**
   * {@code {"<message id>": <arrival, Unix ms (fractional)>, ...}} of the due-time requests kept by
   * id.
   */
  public synchronized JsonObject arrivalsJson() {
    JsonObject json = new JsonObject();
    arrivals.forEach((id, micros) -> json.put(id, millis(micros)));
    return json;
  }

  /**
   * {@code
   * {"received","verified","invalidSignatures","early","latenessMs":{"count","p50","p99","max"},
   * "firstArrivalMs","lastArrivalMs"}}; lateness figures are null when no request carried a due
   * time, arrival times are Unix ms (fractional) or null.
   */
  public JsonObject toJson() {
    long[] sorted;
    int n;
    long count;
    long max;
    synchronized (this) {
      n = samples;
      sorted = Arrays.copyOf(lateness, n);
      count = latenessCount;
      max = latenessMax;
    }
    Arrays.sort(sorted);
    JsonObject late =
        new JsonObject()
            .put("count", count)
            .put("p50", n == 0 ? null : millis(Percentiles.of(sorted, n, 50)))
            .put("p99", n == 0 ? null : millis(Percentiles.of(sorted, n, 99)))
            .put("max", count == 0 ? null : millis(max));
    long first = firstMicros.get();
    long last = lastMicros.get();
    return new JsonObject()
        .put("received", received.sum())
        .put("verified", verified.sum())
        .put("invalidSignatures", invalid.sum())
        .put("early", early.sum())
        .put("latenessMs", late)
        .put("firstArrivalMs", first == 0 ? null : millis(first))
        .put("lastArrivalMs", last == 0 ? null : millis(last));
  }

  /**
   * The kept lateness samples grouped by when they were due, in slots of {@code slotMillis} from
   * the earliest due time ({@code originMs}, Unix ms): {@code
   * {"slotMs","originMs","slots":[{"fromMs", "count","p50","p99","max"},...]}} with slots in order
   * and empty ones left out. It shows when a run was late (a cold start, a stall every few seconds)
   * where one percentile over the whole run cannot.
   */
  public JsonObject timelineJson(long slotMillis) {
    if (slotMillis <= 0) throw new IllegalArgumentException("slot must be positive");
    long[] due;
    long[] late;
    int n;
    synchronized (this) {
      n = samples;
      due = Arrays.copyOf(dueAt, n);
      late = Arrays.copyOf(lateness, n);
    }
    JsonArray slots = new JsonArray();
    long origin = n == 0 ? 0 : Arrays.stream(due).min().getAsLong();
    if (n > 0) {
      long slotMicros = slotMillis * 1000;
      TreeMap<Long, LongList> bySlot = new TreeMap<>();
      for (int i = 0; i < n; i++) {
        bySlot.computeIfAbsent((due[i] - origin) / slotMicros, k -> new LongList()).add(late[i]);
      }
      bySlot.forEach(
          (slot, values) -> {
            long[] sorted = values.sorted();
            slots.add(
                new JsonObject()
                    .put("fromMs", slot * slotMillis)
                    .put("count", sorted.length)
                    .put("p50", millis(Percentiles.of(sorted, sorted.length, 50)))
                    .put("p99", millis(Percentiles.of(sorted, sorted.length, 99)))
                    .put("max", millis(sorted[sorted.length - 1])));
          });
    }
    return new JsonObject()
        .put("slotMs", slotMillis)
        .put("originMs", n == 0 ? null : millis(origin))
        .put("slots", slots);
  }

  /** A growable array of longs; one per timeline slot. */
  private static final class LongList {
    private long[] values = new long[64];
    private int size;

    void add(long value) {
      if (size == values.length) values = Arrays.copyOf(values, size * 2);
      values[size++] = value;
    }

    long[] sorted() {
      long[] copy = Arrays.copyOf(values, size);
      Arrays.sort(copy);
      return copy;
    }
  }

  private static double millis(long micros) {
    return micros / 1000.0;
  }
}
