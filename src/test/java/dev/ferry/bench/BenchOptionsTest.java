package dev.ferry.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

  @Test
  void defaults_are_three_runs_of_every_workload_but_the_opt_in_ones() {
    BenchOptions o = BenchOptions.parse();
    assertEquals(3, o.runs());
    assertEquals(2, o.warmups());
    assertEquals(Duration.ofSeconds(10), o.window());
    assertEquals(1_000_000, o.pending());
    assertEquals(
        List.of("batch", "publish", "delivery", "latency", "cold-start", "pending"), o.workloads());
  }

  @Test
  void quick_shrinks_the_defaults_and_explicit_flags_still_win() {
    BenchOptions o = BenchOptions.parse("--runs", "2", "--quick", "--json", "out.json");
    assertEquals(2, o.runs());
    assertEquals(Duration.ofSeconds(3), o.window());
    assertEquals(100_000, o.pending());
    assertEquals(Path.of("out.json"), o.json());
    assertEquals(null, o.results());
    assertTrue(o.quick());
  }

  @Test
  void latency_runs_the_three_rates_of_the_budget_unless_told_otherwise() {
    assertEquals(List.of(500, 5000, 20_000), BenchOptions.parse().latencyRates());
    assertEquals(256, BenchOptions.parse().latencyConnections());
    assertEquals(List.of(5000), BenchOptions.parse("--latency-rate", "5000").latencyRates());
    BenchOptions o =
        BenchOptions.parse("--latency-rates", "1000, 20_000", "--latency-connections", "64");
    assertEquals(List.of(1000, 20_000), o.latencyRates());
    assertEquals(64, o.latencyConnections());
    assertThrows(
        IllegalArgumentException.class, () -> BenchOptions.parse("--latency-rates", "500,0"));
  }

  @Test
  void the_latency_targets_are_the_budgets_per_rate() {
    assertEquals(new Row.AtMost(20, "ms"), LatencyWorkload.target(500));
    assertEquals(new Row.AtMost(5, "ms"), LatencyWorkload.target(5000));
    assertEquals(new Row.AtMost(20, "ms"), LatencyWorkload.target(20_000));
    assertEquals(new Row.Informational(), LatencyWorkload.target(50_000));
  }

  @Test
  void only_keeps_the_fixed_order() {
    assertEquals(
        List.of("batch", "pending"), BenchOptions.parse("--only", "pending,batch").workloads());
  }

  @Test
  void redis_workloads_run_only_when_named() {
    assertEquals(
        List.of("batch", "redis-batch", "redis-delivery"),
        BenchOptions.parse("--only", "redis-delivery,batch,redis-batch").workloads());
  }

  @Test
  void bad_flags_are_refused_with_their_name() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--only", "nope"))
            .getMessage()
            .contains("--only"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--runs", "0"))
            .getMessage()
            .contains("--runs"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--heap", "lots"))
            .getMessage()
            .contains("--heap"));
    assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--frobnicate"));
  }

  @Test
  void ferry_env_passes_ferry_variables_and_refuses_anything_else() {
    assertEquals(
        java.util.Map.of("FERRY_LOGS_ENABLED", "false"),
        BenchOptions.parse("--ferry-env", "FERRY_LOGS_ENABLED=false").ferryEnv());
    assertEquals(java.util.Map.of(), BenchOptions.parse().ferryEnv());
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> BenchOptions.parse("--ferry-env", "PATH=/tmp"));
  }

  @Test
  void results_names_the_markdown_file_the_dated_table_is_appended_to() {
    assertEquals(
        Path.of("loadtest/RESULTS.md"),
        BenchOptions.parse("--results", "loadtest/RESULTS.md").results());
    assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--results"));
  }
}
