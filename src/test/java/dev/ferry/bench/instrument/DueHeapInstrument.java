package dev.ferry.bench.instrument;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The pending-messages instrument: a bare binary heap of {@code (due, id)} ({@link BareDueHeap};
 * ids of the size of Ferry's: a time-ordered 64-bit counter and 48 random bits) on one event loop
 * with one timer for its earliest entry. {@code POST /fill?n=&minMs=&maxMs=} adds n entries due in
 * [min, max) ms; {@code POST /sample?n=&minMs=&maxMs=&sinkPort=&path=} adds n more that, when they
 * fire, are posted to the sink with {@code X-Due-At}; {@code POST /clear} empties it again (after a
 * warm-up). The orchestrator measures heap with jcmd and lateness at the sink.
 */
final class DueHeapInstrument extends VerticleBase {
  private final int port;
  private BareDueHeap heap = new BareDueHeap();

  /** The counters of the sample entries: only those are sent to the sink when they fire. */
  private final Set<Long> samples = new HashSet<>();

  private long counter;
  private HttpClient client;
  private int sinkPort;
  private String sinkPath;
  private long timerId = -1;
  private long timerDue = Long.MAX_VALUE;

  DueHeapInstrument(int port) {
    this.port = port;
  }

  @Override
  public Future<?> start() {
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true));
    return vertx
        .createHttpServer(HttpInstruments.serverOptions(port))
        .requestHandler(this::control)
        .listen();
  }

  private void control(HttpServerRequest request) {
    int n = Integer.parseInt(request.getParam("n", "0"));
    long min = Long.parseLong(request.getParam("minMs", "60000"));
    long max = Long.parseLong(request.getParam("maxMs", "600000"));
    boolean sample = request.path().equals("/sample");
    if (request.path().equals("/clear")) { // after a warm-up fill: back to an empty heap
      heap = new BareDueHeap();
      samples.clear();
      if (timerId >= 0) vertx.cancelTimer(timerId);
      timerId = -1;
      timerDue = Long.MAX_VALUE;
      request.response().end("{\"size\":0}");
      return;
    }
    if (sample) {
      sinkPort = Integer.parseInt(request.getParam("sinkPort"));
      sinkPath = request.getParam("path", "/sample");
    } else if (!request.path().equals("/fill")) {
      request.response().setStatusCode(404).end();
      return;
    }
    long now = System.currentTimeMillis();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < n; i++) {
      long high = Math.max(counter + 1, now << 16); // Ferry's id counter: time-ordered, unique
      counter = high;
      if (sample) samples.add(high);
      heap.add(now + random.nextLong(min, max), high, random.nextLong(1L << 48));
    }
    arm();
    request
        .response()
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("size", heap.size()).encode());
  }

  private void arm() {
    if (heap.isEmpty()) return;
    long due = heap.peekDue();
    if (timerId >= 0) {
      if (due >= timerDue) return;
      vertx.cancelTimer(timerId);
    }
    timerDue = due;
    timerId =
        vertx.setTimer(
            Math.max(1, due - System.currentTimeMillis()),
            t -> {
              timerId = -1;
              timerDue = Long.MAX_VALUE;
              fire();
            });
  }

  private void fire() {
    long now = System.currentTimeMillis();
    while (!heap.isEmpty() && heap.peekDue() <= now) {
      long due = heap.peekDue();
      long id = heap.peekHigh();
      heap.poll();
      if (samples.remove(id)) send(due);
    }
    arm();
  }

  private void send(long due) {
    client
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost("127.0.0.1")
                .setPort(sinkPort)
                .setURI(sinkPath)
                .putHeader("X-Due-At", Long.toString(due)))
        .compose(req -> req.send(Buffer.buffer("x".repeat(100))))
        .compose(resp -> resp.body())
        .onFailure(e -> System.err.println("sample delivery failed: " + e));
  }
}
