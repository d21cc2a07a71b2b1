package dev.ferry.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * The two ingest workloads. Messages are delayed by an hour, so the window measures ingest only
 * (parse, store with a synced group commit, answer) and no delivery runs meanwhile.
 */
final class PublishWorkloads {
  static final int BATCH_ENTRIES = 100;
  private static final String DELAY = "1h";

  private PublishWorkloads() {}

  /**
   * {@code POST /v2/batch} of 100 ~100-byte messages vs. the group-committed RocksDB instrument.
   */
  static final class Batch implements Workload {
    @Override
    public void run(Lab lab, List<Row> rows) {
      Row row =
          new Row(
              "batch publish (100 x ~100 B, durable)",
              "messages/s",
              "msgs/s",
              true,
              new Row.RatioAtLeast(0.70));
      rows.add(row);
      Lab.Server instrument = null;
      Lab.Server ferry = null;
      try {
        instrument = lab.startInstrument("instrument-batch", "batch", lab.options.heap());
        ferry = lab.startFerry("ferry-batch", lab.options.heap(), Map.of());
        Buffer body =
            Bodies.batch(
                Bodies.NOWHERE, BATCH_ENTRIES, i -> new JsonObject().put("Upstash-Delay", DELAY));
        Load.Req toInstrument =
            new Load.Req(
                HttpMethod.POST,
                "/v2/batch",
                HttpHeaders.headers().add("Content-Type", "application/json"),
                body);
        Load.Req toFerry =
            new Load.Req(HttpMethod.POST, "/v2/batch", lab.ferryHeaders("application/json"), body);
        Throughput.alternate(
            lab,
            row,
            instrument,
            toInstrument,
            ferry,
            toFerry,
            lab.options.batchConnections(),
            BATCH_ENTRIES);
      } finally {
        lab.stop(ferry);
        lab.stop(instrument);
      }
    }
  }

  /**
   * {@code POST /v2/publish/{url}} of one ~100-byte message vs. a server that reads the body and
   * answers 201.
   */
  static final class Single implements Workload {
    @Override
    public void run(Lab lab, List<Row> rows) {
      Row row =
          new Row(
              "single publish (~100 B, durable)",
              "requests/s",
              "req/s",
              true,
              new Row.RatioAtLeast(0.50));
      rows.add(row);
      Lab.Server instrument = null;
      Lab.Server ferry = null;
      try {
        instrument = lab.startInstrument("instrument-publish", "publish", lab.options.heap());
        ferry = lab.startFerry("ferry-publish", lab.options.heap(), Map.of());
        Buffer body = Buffer.buffer(Bodies.MESSAGE);
        String uri = "/v2/publish/" + Bodies.NOWHERE;
        Load.Req toInstrument =
            new Load.Req(
                HttpMethod.POST,
                uri,
                HttpHeaders.headers()
                    .add("Content-Type", "application/json")
                    .add("Upstash-Delay", DELAY),
                body);
        Load.Req toFerry =
            new Load.Req(
                HttpMethod.POST,
                uri,
                lab.ferryHeaders("application/json").add("Upstash-Delay", DELAY),
                body);
        Throughput.alternate(
            lab,
            row,
            instrument,
            toInstrument,
            ferry,
            toFerry,
            lab.options.publishConnections(),
            1);
      } finally {
        lab.stop(ferry);
        lab.stop(instrument);
      }
    }
  }
}
