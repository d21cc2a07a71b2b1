package dev.ferry.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuAccountTest {

  @Test
  void cpu_is_described_per_unit_largest_group_first_with_the_load_generator_apart() {
    CpuAccount cpu = CpuAccount.withLoadGenerator();
    cpu.add(
        new CpuAccount.Window(Map.of("writer", 10L, "vert.x-eventloop-thread-N", 0L), 5),
        new CpuAccount.Window(
            Map.of("writer", 60L, "vert.x-eventloop-thread-N", 100L, "new-thread", 10L), 25),
        1_000_000);
    // 100 ticks = 1 s over a million messages = 1 µs each
    assertEquals(
        "Ferry CPU per message (µs, counted runs): vert.x-eventloop-thread-N 1.00, writer 0.50, "
            + "new-thread 0.10, other 0.00; total 1.60; load generator (bench process) 0.20",
        cpu.describe("Ferry", "message"));
  }

  @Test
  void nothing_recorded_describes_as_nothing() {
    CpuAccount cpu = CpuAccount.withLoadGenerator();
    assertNull(cpu.describe("Ferry", "message"));
    cpu.add(
        new CpuAccount.Window(Map.of(), 0), new CpuAccount.Window(Map.of(), 0), 100); // no /proc
    assertNull(cpu.describe("Ferry", "message"));
  }

  @Test
  void a_snapshot_of_this_process_finds_its_threads_grouped_without_digits() {
    Map<String, Long> threads = CpuAccount.snapshot(ProcessHandle.current().pid());
    assertTrue(threads.values().stream().mapToLong(Long::longValue).sum() > 0, threads.toString());
    assertTrue(
        threads.keySet().stream().noneMatch(name -> name.matches(".*[0-9].*")), threads.toString());
  }

  @Test
  void a_process_measured_on_its_own_prints_no_other_process() {
    CpuAccount redis = CpuAccount.serverOnly();
    redis.add(
        new CpuAccount.Window(Map.of("redis-server", 10L), 0),
        new CpuAccount.Window(Map.of("redis-server", 30L), 0),
        1000);
    assertEquals(
        "Redis CPU per message (µs, counted runs): redis-server 200.00, other 0.00; total 200.00",
        redis.describe("Redis", "message"));
  }

  @Test
  void several_processes_are_summed_per_thread_group() {
    long self = ProcessHandle.current().pid();
    Map<String, Long> once = CpuAccount.snapshot(self);
    // the busiest group so far (the test's own thread or the JIT): alive through both reads
    String group = Collections.max(once.entrySet(), Map.Entry.comparingByValue()).getKey();
    // the same process read twice: counted twice (time only grows between reads)
    long twice = CpuAccount.snapshot(List.of(self, self)).getOrDefault(group, -1L);
    assertTrue(twice >= 2 * once.get(group), group + ": " + twice + " < 2 x " + once.get(group));
  }

  @Test
  void the_compiler_share_is_the_compiler_threads_part_of_the_servers_cpu_in_the_window() {
    CpuAccount.Window start =
        new CpuAccount.Window(Map.of("C2 CompilerThre", 10L, "vert.x-eventloop-thread-N", 100L), 0);
    CpuAccount.Window end =
        new CpuAccount.Window(
            Map.of("C2 CompilerThre", 15L, "vert.x-eventloop-thread-N", 190L, "writer", 5L), 0);

    assertEquals(0.05, CpuAccount.compilerShare(start, end), 1e-9); // 5 of 100 ticks
    assertEquals(0.0, CpuAccount.compilerShare(end, end));
  }
}
