package dev.ferry.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.ferry.delivery.DeliveryEvents.Outcome;
import dev.ferry.model.AttemptResult;
import dev.ferry.model.Message;
import dev.ferry.testing.LogCapture;
import dev.ferry.testing.MessageBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FailedAttemptLogTest {
  private final LogCapture log = LogCapture.start();

  @AfterEach
  void release() {
    log.close();
  }

  private List<ILoggingEvent> lines() {
    return log.from(FailedAttemptLog.class);
  }

  private static Message message(String id, String url, String queue) {
    return MessageBuilder.message(id, "acme", url)
        .queueName(queue)
        .headers(Map.of())
        .body(new byte[0])
        .maxRetries(3)
        .labels(List.of())
        .retried(1)
        .build();
  }

  @Test
  void a_failed_attempt_is_one_line_with_id_host_and_reason_but_not_the_url() {
    FailedAttemptLog log = new FailedAttemptLog(10);
    log.attemptEnded(
        message("msg_1", "https://user:pw@api.example.com/hook?key=secret", "orders"),
        new AttemptResult(503, Map.of(), new byte[0], null, 1000),
        1,
        Outcome.RETRY,
        61_000);
    log.attemptEnded(
        message("msg_2", "https://api.example.com/hook?key=secret", null),
        new AttemptResult(
            0, Map.of(), new byte[0], "timeout: no complete response within 5ms", 1000),
        1,
        Outcome.FAILED,
        -1);
    log.attemptEnded(
        message("msg_3", "https://api.example.com/hook?key=secret", null),
        new AttemptResult(
            0,
            Map.of(),
            new byte[0],
            "connection failed: https://api.example.com/hook?key=secret",
            1000),
        1,
        Outcome.FAILED,
        -1);

    assertEquals(3, lines().size());
    String first = lines().get(0).getFormattedMessage();
    assertEquals(
        "delivery attempt 2 of 4 failed: message msg_1 (tenant acme, queue orders) to api.example.com: "
            + "HTTP 503; retry at 1970-01-01T00:01:01Z",
        first);
    assertTrue(
        lines()
            .get(1)
            .getFormattedMessage()
            .contains("msg_2 (tenant acme) to api.example.com: timeout"));
    assertTrue(lines().get(1).getFormattedMessage().endsWith("moved to the DLQ"));
    for (ILoggingEvent e : lines()) {
      String all = e.getFormattedMessage() + e.getKeyValuePairs();
      assertFalse(all.contains("secret") || all.contains("pw@") || all.contains("/hook"), all);
    }
    assertEquals(
        "msg_1",
        lines().get(0).getKeyValuePairs().stream()
            .filter(kv -> kv.key.equals("messageId"))
            .findFirst()
            .orElseThrow()
            .value);
  }

  @Test
  void deliveries_are_not_logged() {
    new FailedAttemptLog(10)
        .attemptEnded(
            message("msg_1", "https://a.example/x", null),
            new AttemptResult(200, Map.of(), new byte[0], null, 1000),
            1,
            Outcome.DELIVERED,
            -1);
    assertEquals(0, lines().size());
  }

  @Test
  void a_flood_of_failures_logs_the_burst_then_one_summary() {
    FailedAttemptLog log = new FailedAttemptLog(5);
    for (int i = 0; i < 10_000; i++) {
      log.attemptEnded(
          message("msg_" + i, "https://down.example/x", null),
          new AttemptResult(500, Map.of(), new byte[0], null, 1000),
          1,
          Outcome.RETRY,
          2000);
    }
    int logged = lines().size();
    assertTrue(
        logged >= 5 && logged <= 10, "logged " + logged); // the burst, plus what refilled meanwhile

    log.flush();
    ILoggingEvent summary = lines().get(lines().size() - 1);
    assertEquals(
        (10_000 - logged)
            + " more failed delivery attempt(s) not logged (logging.failedAttemptsPerSecond = 5)",
        summary.getFormattedMessage());
    log.flush();
    assertEquals(logged + 1, lines().size(), "nothing more to summarise");
  }
}
