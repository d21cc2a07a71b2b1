package dev.ferry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where the CPU of a measured window went: per thread group of a server (its event loops, store
 * writer, RocksDB flush and compaction threads, JIT compiler, GC...) and in total for one other
 * process (the load generator, which is this process, or the delivery sink), read from Linux's
 * {@code /proc/<pid>/task/<tid>/stat} at the start and end of the window and summed over the
 * counted runs. Printed per message as notes under the table, so a ratio that misses its target
 * comes with the cost breakdown that explains it. Threads are grouped by name with digits dropped
 * ({@code vert.x-eventloop-thread-1} and {@code -0} are one group). Off Linux, or if {@code /proc}
 * cannot be read, it records nothing.
 */
final class CpuAccount {
  /** Clock ticks per second of {@code /proc} times: USER_HZ, 100 on every Linux this runs on. */
  private static final double TICKS_PER_SECOND = 100;

  private static final int GROUPS_SHOWN = 6;

  private final String other;
  private final Map<String, Long> ticks = new HashMap<>();
  private long otherTicks;
  private double units;

  /**
   * @param other what the other process of each window is, as printed; null: none is printed
   */
  CpuAccount(String other) {
    this.other = other;
  }

  /** For throughput windows: the other process is the load generator, this one. */
  static CpuAccount withLoadGenerator() {
    return new CpuAccount("load generator (bench process)");
  }

  /** For a process measured on its own (Redis): no other process is printed. */
  static CpuAccount serverOnly() {
    return new CpuAccount(null);
  }

  /**
   * Thread group → CPU ticks so far, summed over the processes {@code pids} (the replicas of one
   * deployment); empty when {@code /proc} is not there for one of them.
   */
  static Map<String, Long> snapshot(List<Long> pids) {
    Map<String, Long> out = new HashMap<>();
    for (long pid : pids) {
      Map<String, Long> one = snapshot(pid);
      if (one.isEmpty()) return Map.of();
      one.forEach((group, t) -> out.merge(group, t, Long::sum));
    }
    return out;
  }

  /**
   * Thread group → CPU ticks so far, of process {@code pid}; empty when {@code /proc} is not there.
   */
  static Map<String, Long> snapshot(long pid) {
    Map<String, Long> out = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          int open = stat.indexOf('(');
          int close = stat.lastIndexOf(')');
          String name = stat.substring(open + 1, close).replaceAll("[0-9]+", "N");
          String[] fields = stat.substring(close + 2).split(" ");
          out.merge(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
        } catch (IOException | RuntimeException e) {
          // a thread that ended while listing: its time is lost from this snapshot only
        }
      }
    } catch (IOException | RuntimeException e) {
      return Map.of();
    }
    return out;
  }

  /**
   * The whole machine's CPU ticks so far as {@code {busy, total}} (all cores, from {@code
   * /proc/stat}); {@code {0, 0}} when it cannot be read. Two readings tell how saturated the
   * machine was in between, whoever used it.
   */
  static long[] machine() {
    try {
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < cpu.length; i++) total += Long.parseLong(cpu[i]);
      long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]); // idle + iowait
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }

  /** One end of a window: the server's threads and the other process in total. */
  record Window(Map<String, Long> server, long other) {
    /** With this process (the load generator) as the other one. */
    static Window now(long serverPid) {
      return now(serverPid, ProcessHandle.current().pid());
    }

    static Window now(long serverPid, long otherPid) {
      return now(List.of(serverPid), otherPid);
    }

    /** Several server processes (the replicas of one deployment) summed per thread group. */
    static Window now(List<Long> serverPids, long otherPid) {
      return new Window(
          snapshot(serverPids),
          snapshot(otherPid).values().stream().mapToLong(Long::longValue).sum());
    }
  }

  /**
   * The share of the server's CPU between {@code start} and {@code end} taken by its JIT compiler
   * threads ({@code C1/C2 CompilerThread}s); 0 when nothing was measured.
   */
  static double compilerShare(Window start, Window end) {
    long all = 0;
    long compiler = 0;
    for (Map.Entry<String, Long> e : end.server().entrySet()) {
      long t = e.getValue() - start.server().getOrDefault(e.getKey(), 0L);
      all += t;
      if (e.getKey().contains("CompilerThre")) compiler += t;
    }
    return all <= 0 ? 0 : (double) compiler / all;
  }

  /**
   * Adds the CPU between {@code start} and {@code end}, which handled {@code units} messages or
   * requests.
   */
  synchronized void add(Window start, Window end, double units) {
    if (start.server().isEmpty() || end.server().isEmpty()) return;
    end.server()
        .forEach(
            (group, t) ->
                ticks.merge(group, t - start.server().getOrDefault(group, 0L), Long::sum));
    otherTicks += end.other() - start.other();
    this.units += units;
  }

  /**
   * One line: the server's CPU per unit in microseconds, largest groups first, then the rest and
   * the total, then the other process's. Null when nothing was recorded.
   */
  synchronized String describe(String side, String unit) {
    if (units <= 0 || ticks.isEmpty()) return null;
    List<Map.Entry<String, Long>> groups = new ArrayList<>(ticks.entrySet());
    groups.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    StringBuilder out =
        new StringBuilder(side).append(" CPU per ").append(unit).append(" (µs, counted runs): ");
    long total = 0;
    long rest = 0;
    for (int i = 0; i < groups.size(); i++) {
      long t = groups.get(i).getValue();
      total += t;
      if (i < GROUPS_SHOWN)
        out.append(groups.get(i).getKey()).append(' ').append(micros(t)).append(", ");
      else rest += t;
    }
    out.append("other ").append(micros(rest)).append("; total ").append(micros(total));
    if (other != null) out.append("; ").append(other).append(' ').append(micros(otherTicks));
    return out.toString();
  }

  private String micros(long t) {
    return String.format("%.2f", t / TICKS_PER_SECOND / units * 1e6);
  }
}
