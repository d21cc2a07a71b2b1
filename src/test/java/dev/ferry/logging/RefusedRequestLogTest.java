package dev.ferry.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RefusedRequestLogTest {
  private final Logger logger = (Logger) LoggerFactory.getLogger(RefusedRequestLog.class);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  @BeforeEach
  void capture() {
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
  }

  @Test
  void a_refusal_is_one_warn_line_with_method_client_and_reason() {
    new RefusedRequestLog(10).refused("POST", "10.0.0.7", "invalid percent-escape \"%zz\" in the path");
    assertEquals(1, lines.list.size());
    ILoggingEvent line = lines.list.get(0);
    assertEquals(Level.WARN, line.getLevel());
    assertEquals("refused a POST request from 10.0.0.7: invalid percent-escape \"%zz\" in the path",
        line.getFormattedMessage());
    assertNull(line.getThrowableProxy());
    assertEquals("10.0.0.7", line.getKeyValuePairs().stream().filter(kv -> kv.key.equals("remote")).findFirst()
        .orElseThrow().value);
  }

  @Test
  void a_flood_logs_the_burst_then_one_summary() {
    RefusedRequestLog log = new RefusedRequestLog(5);
    for (int i = 0; i < 10_000; i++) log.refused("GET", "10.0.0.7", "invalid percent-escape \"%\" in the path");
    int logged = lines.list.size();
    assertTrue(logged >= 5 && logged <= 10, "logged " + logged);

    log.flush();
    assertEquals((10_000 - logged) + " more refused request(s) not logged (logging.failedAttemptsPerSecond = 5)",
        lines.list.get(lines.list.size() - 1).getFormattedMessage());
    log.flush();
    assertEquals(logged + 1, lines.list.size(), "nothing more to summarise");
  }
}
