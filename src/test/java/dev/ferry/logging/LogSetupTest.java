package dev.ferry.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import dev.ferry.config.FerryConfig;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * logging.format and logging.level applied to a Logback context of the test's own (not the
 * process's).
 */
class LogSetupTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final LoggerContext context = new LoggerContext();

  private List<String> run(
      FerryConfig.Logging config, java.util.function.Consumer<LoggerContext> logging) {
    OutputStreamAppender<ILoggingEvent> sink = new OutputStreamAppender<>();
    sink.setOutputStream(out);
    context.setMDCAdapter(
        new LogbackMDCAdapter()); // the process's context gets one from SLF4J; this one is ours
    context.start();
    LogSetup.apply(context, config, sink);
    logging.accept(context);
    context.stop(); // drains the queue
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void json_format_writes_one_object_per_line_with_key_values_as_fields() {
    List<String> lines =
        run(
            new FerryConfig.Logging("json", "info", true, 10),
            c -> {
              Logger access = c.getLogger(AccessLog.LOGGER);
              access
                  .atInfo()
                  .addKeyValue("status", 201)
                  .addKeyValue("path", "/v2/publish/https://a.example/x")
                  .log("POST /v2/publish/https://a.example/x 201");
              c.getLogger("dev.ferry.Some").warn("careful", new IllegalStateException("boom"));
            });

    assertEquals(2, lines.size(), String.join("\n", lines));
    JsonObject first = new JsonObject(lines.get(0));
    assertEquals("POST /v2/publish/https://a.example/x 201", first.getString("message"));
    assertEquals("INFO", first.getString("level"));
    assertEquals("ferry.access", first.getString("logger_name"));
    assertEquals(201, first.getInteger("status"));
    assertEquals("/v2/publish/https://a.example/x", first.getString("path"));
    assertTrue(first.containsKey("@timestamp"));
    JsonObject second = new JsonObject(lines.get(1));
    assertEquals("WARN", second.getString("level"));
    assertTrue(second.getString("stack_trace").contains("IllegalStateException: boom"));
  }

  @Test
  void text_format_writes_readable_lines() {
    List<String> lines =
        run(FerryConfig.Logging.DEFAULTS, c -> c.getLogger("dev.ferry.Ferry").info("listening"));

    assertEquals(1, lines.size());
    assertTrue(
        lines
            .get(0)
            .matches(
                "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  \\[.*] dev\\.ferry\\.Ferry - "
                    + "listening"),
        lines.get(0));
  }

  @Test
  void the_access_log_is_off_unless_configured_and_the_level_applies_to_ferry() {
    List<String> lines =
        run(
            new FerryConfig.Logging("text", "warn", false, 10),
            c -> {
              c.getLogger(AccessLog.LOGGER).info("GET /v2/queues 200");
              c.getLogger("dev.ferry.delivery.Outcomes").info("detail");
              c.getLogger("dev.ferry.delivery.Outcomes").warn("problem");
              c.getLogger("io.vertx.core.Something").warn("library warning");
            });

    assertEquals(2, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(0).endsWith("problem"));
    assertFalse(String.join("\n", lines).contains("/v2/queues"));
  }

  @Test
  void debug_turns_on_ferrys_debug_lines_but_not_the_libraries() {
    List<String> lines =
        run(
            new FerryConfig.Logging("text", "debug", false, 10),
            c -> {
              c.getLogger("dev.ferry.delivery.Outcomes").debug("detail");
              c.getLogger("io.netty.Something").debug("noise");
            });

    assertEquals(1, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(0).endsWith("detail"));
  }
}
