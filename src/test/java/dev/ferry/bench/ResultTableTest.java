package dev.ferry.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultTableTest {

  @Test
  void ratio_is_of_the_medians_and_judged_against_the_target() {
    Row row = new Row("batch", "messages/s", "msgs/s", true, new Row.RatioAtLeast(0.70));
    row.instrument.add(100).add(300).add(200);
    row.ferry.add(150).add(130).add(900);
    assertEquals(0.75, row.ratio(), 1e-9);
    assertEquals("PASS", row.result());
    row.ferry.add(10); // median of 10, 130, 150, 900 = 140
    assertEquals(0.70, row.ratio(), 1e-9);
    assertEquals("PASS", row.result());
    row.ferry.add(1).add(2); // median of 1, 2, 10, 130, 150, 900 = 70
    assertEquals("MISS", row.result());
  }

  @Test
  void an_upper_limit_is_judged_on_ferrys_median_alone() {
    Row row = new Row("latency", "p99 ms", "ms", false, new Row.AtMost(20, "ms"));
    assertEquals("n/a", row.result());
    row.ferry.add(12).add(25).add(19);
    assertEquals("PASS", row.result());
    assertTrue(Double.isNaN(row.ratio()));
    assertEquals("<= 20 ms", row.target.describe());
  }

  @Test
  void a_row_missing_the_instruments_runs_is_not_judged() {
    Row row = new Row("delivery", "deliveries/s", "deliveries/s", true, new Row.RatioAtLeast(0.70));
    row.ferry.add(5);
    assertEquals("n/a", row.result());
  }

  @Test
  void numbers_are_compact() {
    assertEquals("412.3k", ResultTable.number(412_345));
    assertEquals("5988", ResultTable.number(5988.4));
    assertEquals("3.21", ResultTable.number(3.2109));
    Runs runs = new Runs().add(3).add(1).add(2);
    assertEquals("2.00 [1.00..3.00]", ResultTable.runs(runs));
    assertEquals("n/a", ResultTable.runs(new Runs()));
  }

  @Test
  void markdown_table_has_aligned_columns_and_one_line_per_row() {
    Row a = new Row("batch publish", "messages/s", "msgs/s", true, new Row.RatioAtLeast(0.70));
    a.instrument.add(400_000);
    a.ferry.add(300_000);
    Row b = new Row("latency", "p99 ms", "ms", false, new Row.AtMost(20, "ms"));
    b.ferry.add(4.5);
    String[] lines = ResultTable.markdown(List.of(a, b)).split("\n");
    assertEquals(4, lines.length);
    for (String line : lines) assertEquals(lines[0].length(), line.length(), line);
    assertTrue(
        lines[2].contains("| 400.0k ")
            && lines[2].contains("| 75% ")
            && lines[2].contains("| PASS "),
        lines[2]);
    assertTrue(
        lines[3].contains("| - ")
            && lines[3].contains("| 4.50 ")
            && lines[3].contains("| <= 20 ms "),
        lines[3]);
  }

  @Test
  void delivery_is_judged_against_the_signing_instrument_and_only_shown_against_the_bare_one() {
    List<Row> rows = DeliveryWorkload.rows();
    Row bare = rows.get(0);
    Row signing = rows.get(1);
    bare.instrument.add(40_000);
    signing.instrument.add(32_000);
    bare.ferry.add(24_000);
    signing.ferry.add(24_000);
    assertEquals(0.60, bare.ratio(), 1e-9);
    assertEquals("-", bare.result());
    assertEquals(0.75, signing.ratio(), 1e-9);
    assertEquals("PASS", signing.result());
    String[] lines = ResultTable.markdown(rows).split("\n");
    assertEquals(4, lines.length);
    for (String line : lines) assertEquals(lines[0].length(), line.length(), line);
    assertTrue(
        lines[2].startsWith("| " + DeliveryWorkload.BARE)
            && lines[2].contains("| 40.0k ")
            && lines[2].contains("| 60% ")
            && lines[2].contains("| - "),
        lines[2]);
    assertTrue(
        lines[3].startsWith("| " + DeliveryWorkload.SIGNING)
            && lines[3].contains("| 32.0k ")
            && lines[3].contains("| 75% ")
            && lines[3].contains("| >= 70% of instrument ")
            && lines[3].contains("| PASS "),
        lines[3]);
    signing.ferry.add(10_000).add(20_000); // median 20k: 62% of the signing instrument
    assertEquals("MISS", signing.result());
  }

  @Test
  void json_carries_every_run_and_the_environment() {
    Row row = new Row("batch", "messages/s", "msgs/s", true, new Row.RatioAtLeast(0.70));
    row.instrument.add(10).add(20).add(30);
    row.ferry.add(9).add(15).add(21);
    JsonObject json = ResultTable.json(List.of(row), new JsonObject().put("commit", "abc1234"));
    assertEquals("abc1234", json.getString("commit"));
    JsonObject figure = json.getJsonArray("figures").getJsonObject(0);
    assertEquals(20.0, figure.getJsonObject("instrument").getDouble("median"));
    assertEquals(
        List.of(9.0, 15.0, 21.0), figure.getJsonObject("ferry").getJsonArray("runs").getList());
    assertEquals(0.75, figure.getDouble("ratio"), 1e-9);
    assertEquals("PASS", figure.getString("result"));
  }

  @Test
  void heap_probe_reads_the_histograms_total_line() {
    String histogram =
        String.join(
            "\n",
            "12345:",
            " num     #instances         #bytes  class name (module)",
            "-------------------------------------------------------",
            "   1:         12000        1000000  [B",
            "Total        250000       87654321");
    assertEquals(87_654_321L, HeapProbe.total(histogram));
  }
}
