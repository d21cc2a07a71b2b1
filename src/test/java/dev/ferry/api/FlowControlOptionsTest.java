package dev.ferry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.api.publish.FlowControlOptions;
import dev.ferry.error.ApiException;
import dev.ferry.model.FlowControl;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowControlOptionsTest {

  private static FlowControl parse(String value) {
    return FlowControlOptions.parse(
        Map.of(
            "upstash-flow-control-key",
            List.of("k"),
            "upstash-flow-control-value",
            List.of(value)));
  }

  @Test
  void any_subset_in_any_order_with_or_without_spaces() {
    assertEquals(new FlowControl("k", 5, 10, 60), parse("parallelism=5,rate=10,period=1m"));
    assertEquals(new FlowControl("k", 3, 5, 1), parse("parallelism=3, rate=5"));
    assertEquals(new FlowControl("k", 0, 2, 86400), parse(" period = 1d , rate=2"));
    assertEquals(new FlowControl("k", 7, 0, 1), parse("parallelism=7"));
    assertEquals(new FlowControl("k", 0, 1, 30), parse("rate=1, period=30"), "bare seconds");
    assertEquals(
        new FlowControl("k", 0, 1, 604800), parse("rate=1, period=7d"), "a week is the most");
  }

  @Test
  void no_headers_no_flow_control() {
    assertNull(FlowControlOptions.parse(Map.of()));
  }

  @Test
  void refused_values() {
    for (String bad :
        List.of(
            "",
            "period=1s",
            "parallelism=0",
            "rate=-1",
            "rate=x",
            "rate=1, period=8d",
            "rate=1, period=0s",
            "rate",
            "burst=3")) {
      assertThrows(ApiException.class, () -> parse(bad), bad);
    }
  }
}
