package dev.ferry.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.ferry.testing.LogCapture;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RefusedRequestLogTest {
  private final LogCapture log = LogCapture.start();

  @AfterEach
  void release() {
    log.close();
  }

  private List<ILoggingEvent> lines() {
    return log.from(RefusedRequestLog.class);
  }

  @Test
  void a_refusal_is_one_warn_line_with_method_client_and_reason() {
    new RefusedRequestLog(10)
        .refused("POST", "10.0.0.7", "invalid percent-escape \"%zz\" in the path");
    assertEquals(1, lines().size());
    ILoggingEvent line = lines().get(0);
    assertEquals(Level.WARN, line.getLevel());
    assertEquals(
        "refused a POST request from 10.0.0.7: invalid percent-escape \"%zz\" in the path",
        line.getFormattedMessage());
    assertNull(line.getThrowableProxy());
    assertEquals(
        "10.0.0.7",
        line.getKeyValuePairs().stream()
            .filter(kv -> kv.key.equals("remote"))
            .findFirst()
            .orElseThrow()
            .value);
  }

  @Test
  void a_flood_logs_the_burst_then_one_summary() {
    RefusedRequestLog log = new RefusedRequestLog(5);
    for (int i = 0; i < 10_000; i++)
      log.refused("GET", "10.0.0.7", "invalid percent-escape \"%\" in the path");
    int logged = lines().size();
    assertTrue(logged >= 5 && logged <= 10, "logged " + logged);

    log.flush();
    assertEquals(
        (10_000 - logged)
            + " more refused request(s) not logged (logging.failedAttemptsPerSecond = 5)",
        lines().get(lines().size() - 1).getFormattedMessage());
    log.flush();
    assertEquals(logged + 1, lines().size(), "nothing more to summarise");
  }
}
