package dev.ferry.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
