package dev.ferry.bench;

import java.time.Duration;

/**
 * The round structure of the closed-loop throughput workloads: warm-up rounds, then counted rounds,
 * each measuring the instrument and then Ferry back to back with the same load, so drift on a
 * shared machine hits both alike.
 */
final class Throughput {
  private static final Duration RAMP = Duration.ofSeconds(1);

  private Throughput() {}

  /**
   * @param perRequest what one answered request counts for (100 for a batch of 100 messages)
   */
  static void alternate(
      Lab lab,
      Row row,
      Lab.Server instrument,
      Load.Req toInstrument,
      Lab.Server ferry,
      Load.Req toFerry,
      int connections,
      double perRequest) {
    BenchOptions o = lab.options;
    CpuAccount instrumentCpu = CpuAccount.withLoadGenerator();
    CpuAccount ferryCpu = CpuAccount.withLoadGenerator();
    for (int round = 0; round < o.warmups() + o.runs(); round++) {
      boolean counted = round >= o.warmups();
      String label =
          counted ? "run " + (round - o.warmups() + 1) + "/" + o.runs() : "warm-up " + (round + 1);
      double i =
          measure(
              lab,
              row,
              "instrument",
              label,
              instrument,
              toInstrument,
              connections,
              perRequest,
              counted ? instrumentCpu : null);
      double f =
          measure(
              lab,
              row,
              "Ferry",
              label,
              ferry,
              toFerry,
              connections,
              perRequest,
              counted ? ferryCpu : null);
      if (counted) {
        row.instrument.add(i);
        row.ferry.add(f);
      }
    }
    String unit = perRequest == 1 ? "request" : "message";
    for (String line :
        new String[] {
          instrumentCpu.describe("instrument", unit), ferryCpu.describe("Ferry", unit)
        }) {
      if (line != null) row.note(line);
    }
  }

  private static double measure(
      Lab lab,
      Row row,
      String side,
      String label,
      Lab.Server server,
      Load.Req req,
      int connections,
      double perRequest,
      CpuAccount cpu) {
    server.child().checkAlive();
    CpuAccount.Window[] window = new CpuAccount.Window[2];
    Thread sampler =
        new Thread(
            () -> { // the CPU of exactly the counted window, not the ramp before it
              try {
                Thread.sleep(RAMP.toMillis());
                window[0] = CpuAccount.Window.now(server.child().pid());
                Thread.sleep(lab.options.window().toMillis());
                window[1] = CpuAccount.Window.now(server.child().pid());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "bench-cpu-sampler");
    if (cpu != null) sampler.start();
    Load.Result r =
        new Load(lab.vertx, server.port())
            .closedLoop(connections, () -> req, RAMP, lab.options.window());
    if (cpu != null) {
      try {
        sampler.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (window[0] != null && window[1] != null)
        cpu.add(window[0], window[1], r.ok() * perRequest);
    }
    double value = r.perSecond() * perRequest;
    lab.progress(
        row.workload
            + " | "
            + side
            + " "
            + label
            + ": "
            + ResultTable.number(value)
            + " "
            + row.unit
            + (r.errors() > 0 ? " (" + r.errors() + " failed)" : ""));
    if (r.errors() > 0) {
      row.note(
          side + " " + label + ": " + r.errors() + " failed requests, first: " + r.firstError());
    }
    return value;
  }
}
