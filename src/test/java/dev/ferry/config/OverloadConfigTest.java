package dev.ferry.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code overload} section: its defaults, its checks, and the heap-relative budgets. */
class OverloadConfigTest {

  @Test
  void defaults_are_the_documented_ones() {
    assertEquals(FerryConfig.Overload.DEFAULTS, FerryConfig.from(TestTrees.valid()).overload());
  }

  @Test
  void values_are_read_and_bad_ones_are_named() {
    FerryConfig.Overload read =
        FerryConfig.from(
                TestTrees.valid()
                    .put(
                        "overload",
                        new JsonObject()
                            .put("maxInFlightRequests", 7)
                            .put("maxInFlightRequestBytes", 1000)
                            .put("retryAfter", "3s")))
            .overload();
    assertEquals(7, read.maxInFlightRequests());
    assertEquals(1000, read.requestBytesBudget());
    assertEquals(3, read.retryAfterSeconds());

    String message =
        assertThrows(
                ConfigException.class,
                () ->
                    FerryConfig.from(
                        TestTrees.valid()
                            .put(
                                "overload",
                                new JsonObject()
                                    .put("maxInFlightRequests", 0)
                                    .put("minFreeDiskBytes", -1)
                                    .put("retryAfter", "0s"))))
            .getMessage();
    assertTrue(
        message.contains("overload.maxInFlightRequests: must be a positive integer"), message);
    assertTrue(message.contains("overload.minFreeDiskBytes"), message);
    assertTrue(message.contains("overload.retryAfter: must be a positive duration"), message);
  }

  @Test
  void zero_byte_budgets_are_an_eighth_of_the_heap_and_retry_after_rounds_up() {
    FerryConfig.Overload defaults = FerryConfig.Overload.DEFAULTS;
    assertEquals(Runtime.getRuntime().maxMemory() / 8, defaults.requestBytesBudget());
    assertEquals(Runtime.getRuntime().maxMemory() / 8, defaults.deliveryBytesBudget());
    FerryConfig.Overload halfSecond =
        new FerryConfig.Overload(1, 1, 1, 0, 1, 1, 1, 1, Duration.ofMillis(500));
    assertEquals(1, halfSecond.retryAfterSeconds());
    assertEquals(1, halfSecond.deliveryBytesBudget());
  }
}
