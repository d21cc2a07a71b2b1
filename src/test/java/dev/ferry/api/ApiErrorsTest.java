package dev.ferry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.ferry.error.ApiException;
import dev.ferry.logging.RefusedRequestLog;
import dev.ferry.overload.ShedCounter;
import dev.ferry.testing.LogCapture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The API's failure handler on a real server: a refusal we intend keeps its status, message and
 * code; any other exception, an {@link IllegalArgumentException} included, is a fault of ours: a
 * 500 that shows nothing of it, and one ERROR line with its stack trace and the request in the log.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ApiErrorsTest {
  private static final String SECRET = "internal detail /var/lib/ferry token=s3cr3t";

  private HttpServer server;
  private WebClient client;
  private LogCapture log;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    Router router = Router.router(vertx);
    router
        .get("/thrown/illegal-argument")
        .handler(
            ctx -> {
              throw new IllegalArgumentException(SECRET);
            });
    router
        .get("/thrown/illegal-state")
        .handler(
            ctx -> {
              throw new IllegalStateException(SECRET);
            });
    router
        .get("/failed/illegal-argument")
        .handler(
            ctx -> Future.failedFuture(new IllegalArgumentException(SECRET)).onFailure(ctx::fail));
    router
        .get("/refused")
        .handler(ctx -> ctx.fail(ApiException.limitReached("queue_limit", "queue limit reached")));
    router.get("/too-large").handler(ctx -> ctx.fail(new HttpException(413)));
    router
        .route()
        .failureHandler(new ApiErrors(1, ShedCounter.NONE, new RefusedRequestLog(10))::handle);
    server = vertx.createHttpServer().requestHandler(router).listen(0).await(10, TimeUnit.SECONDS);
    client = WebClient.create(vertx);
    log = LogCapture.start();
  }

  @AfterEach
  void stop() throws Exception {
    log.close();
    client.close();
    server.close().await(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"/thrown/illegal-argument", "/thrown/illegal-state", "/failed/illegal-argument"})
  void an_unexpected_exception_is_a_500_without_its_message_logged_once_with_its_stack(String path)
      throws Exception {
    HttpResponse<Buffer> r = get(path + "?q=1");
    assertEquals(500, r.statusCode());
    assertEquals("application/json", r.getHeader("Content-Type"));
    assertEquals(
        new JsonObject().put("error", "internal error").put("code", "internal_error"),
        r.bodyAsJsonObject());
    assertFalse(r.bodyAsString().contains("s3cr3t"), r.bodyAsString());

    List<ILoggingEvent> logged = log.from(ApiErrors.class);
    assertEquals(1, logged.size(), logged.toString());
    ILoggingEvent e = logged.get(0);
    assertEquals(Level.ERROR, e.getLevel());
    assertTrue(e.getFormattedMessage().contains("GET " + path), e.getFormattedMessage());
    assertTrue(
        e.getThrowableProxy() != null
            && e.getThrowableProxy().getStackTraceElementProxyArray().length > 0,
        "logged with its stack trace");
    assertTrue(
        e.getThrowableProxy().getMessage().contains("s3cr3t"),
        "the log keeps what the answer hides");
  }

  @Test
  void an_intended_refusal_keeps_its_status_message_and_code_and_is_not_logged() throws Exception {
    HttpResponse<Buffer> r = get("/refused");
    assertEquals(412, r.statusCode());
    assertEquals(
        new JsonObject().put("error", "queue limit reached").put("code", "queue_limit"),
        r.bodyAsJsonObject());
    assertEquals(List.of(), log.from(ApiErrors.class));
  }

  @Test
  void a_vertx_web_http_exception_keeps_its_status() throws Exception {
    HttpResponse<Buffer> r = get("/too-large");
    assertEquals(413, r.statusCode());
    assertEquals(
        new JsonObject().put("error", "request body too large").put("code", "payload_too_large"),
        r.bodyAsJsonObject());
    assertEquals(List.of(), log.from(ApiErrors.class));
  }

  private HttpResponse<Buffer> get(String path) throws Exception {
    return client.get(server.actualPort(), "127.0.0.1", path).send().await(10, TimeUnit.SECONDS);
  }
}
