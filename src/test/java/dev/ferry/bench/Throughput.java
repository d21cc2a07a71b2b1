package dev.ferry.bench;

import java.time.Duration;

/**
 * The round structure of the closed-loop throughput workloads: warm-up rounds, then counted rounds, each measuring
 * the instrument and then Ferry back to back with the same load, so drift on a shared machine hits both alike.
 */
final class Throughput {
  private static final Duration RAMP = Duration.ofSeconds(1);

  private Throughput() {}

  /**
   * @param perRequest what one answered request counts for (100 for a batch of 100 messages)
   */
  static void alternate(Lab lab, Row row, Lab.Server instrument, Load.Req toInstrument, Lab.Server ferry,
                        Load.Req toFerry, int connections, double perRequest) {
    BenchOptions o = lab.options;
    for (int round = 0; round < o.warmups() + o.runs(); round++) {
      boolean counted = round >= o.warmups();
      String label = counted ? "run " + (round - o.warmups() + 1) + "/" + o.runs() : "warm-up " + (round + 1);
      double i = measure(lab, row, "instrument", label, instrument, toInstrument, connections, perRequest);
      double f = measure(lab, row, "Ferry", label, ferry, toFerry, connections, perRequest);
      if (counted) {
        row.instrument.add(i);
        row.ferry.add(f);
      }
    }
  }

  private static double measure(Lab lab, Row row, String side, String label, Lab.Server server, Load.Req req,
                                int connections, double perRequest) {
    server.child().checkAlive();
    Load.Result r = new Load(lab.vertx, server.port()).closedLoop(connections, () -> req, RAMP, lab.options.window());
    double value = r.perSecond() * perRequest;
    lab.progress(row.workload + " | " + side + " " + label + ": " + ResultTable.number(value) + " " + row.unit
        + (r.errors() > 0 ? " (" + r.errors() + " failed)" : ""));
    if (r.errors() > 0) {
      row.note(side + " " + label + ": " + r.errors() + " failed requests, first: " + r.firstError());
    }
    return value;
  }
}
