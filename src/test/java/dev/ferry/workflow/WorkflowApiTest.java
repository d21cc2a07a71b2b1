package dev.ferry.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.GatewayTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The workflow-only endpoints refuse bad input with a 4xx whose {@code error} names the problem,
 * and answer empty lists for what does not exist.
 */
class WorkflowApiTest extends GatewayTest {
  private static final String STEP =
      "{\"step\":{\"stepId\":2,\"stepName\":\"w\",\"stepType\":\"Wait\",\"concurrent\":1}";

  /** Starts run {@code runId} whose endpoint is the sink. */
  private void trigger(String runId) throws Exception {
    HttpResponse<Buffer> r =
        ferry.publish(
            sink.url("/wf"),
            Map.of("Upstash-Workflow-Init", "true", "Upstash-Workflow-RunId", runId),
            "{}");
    assertEquals(201, r.statusCode(), r.bodyAsString());
  }

  private HttpResponse<Buffer> wait(String runId, String body) throws Exception {
    Map<String, String> headers =
        runId == null ? Map.of() : Map.of("Upstash-Workflow-RunId", runId);
    return ferry.send(HttpMethod.POST, "/v2/wait/evt-1", headers, body);
  }

  private static void assertError(int status, String naming, HttpResponse<Buffer> r) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    String error = r.bodyAsJsonObject().getString("error");
    assertTrue(error.contains(naming), () -> "error \"" + error + "\" does not name " + naming);
  }

  @Test
  void a_wait_is_refused_with_a_400_naming_what_is_wrong() throws Exception {
    trigger("wfr_a");
    assertError(400, "body", wait("wfr_a", ""));
    assertError(400, "body", wait("wfr_a", "not json"));
    assertError(400, "body", wait("wfr_a", "[1]"));
    assertError(400, "Upstash-Workflow-RunId", wait(null, STEP + "}"));
    assertError(400, "step", wait("wfr_a", "{\"timeout\":\"1m\"}"));
    assertError(400, "step.stepId", wait("wfr_a", "{\"step\":{\"stepName\":\"w\"}}"));
    assertError(
        400, "step.stepType", wait("wfr_a", "{\"step\":{\"stepId\":1,\"stepName\":\"w\"}}"));
    assertError(400, "timeout", wait("wfr_a", STEP + ",\"timeout\":\"soon\"}"));
    assertError(400, "timeout", wait("wfr_a", STEP + ",\"timeout\":-1}"));
    assertError(400, "timeoutHeaders", wait("wfr_a", STEP + ",\"timeoutHeaders\":\"x\"}"));
    assertError(400, "headers.X", wait("wfr_a", STEP + ",\"timeoutHeaders\":{\"X\":[{\"a\":1}]}}"));
    assertError(400, "not active", wait("wfr_unknown", STEP + "}"));
    HttpResponse<Buffer> none = ferry.send(HttpMethod.GET, "/v2/waiters/evt-1", Map.of(), "");
    assertEquals(200, none.statusCode(), none.bodyAsString());
    assertEquals(new JsonArray(), none.bodyAsJsonArray());
  }

  @Test
  void a_wait_is_listed_and_notified_once() throws Exception {
    trigger("wfr_b");
    assertEquals(200, wait("wfr_b", STEP + ",\"timeout\":\"1h\"}").statusCode());
    JsonArray waiters =
        ferry.send(HttpMethod.GET, "/v2/waiters/evt-1", Map.of(), "").bodyAsJsonArray();
    assertEquals(1, waiters.size());
    assertEquals(sink.url("/wf"), waiters.getJsonObject(0).getString("url"));
    assertTrue(
        !waiters.getJsonObject(0).getJsonObject("headers").containsKey("Authorization"),
        "the token is not kept with the waiter");

    HttpResponse<Buffer> notified =
        ferry.send(HttpMethod.POST, "/v2/notify/wfr_other/evt-1", Map.of(), "x");
    assertEquals(new JsonArray(), notified.bodyAsJsonArray(), "another run's waiter only");
    notified = ferry.send(HttpMethod.POST, "/v2/notify/evt-1", Map.of(), "data");
    assertEquals(1, notified.bodyAsJsonArray().size(), notified.bodyAsString());
    assertEquals(
        new JsonArray(),
        ferry.send(HttpMethod.POST, "/v2/notify/evt-1", Map.of(), "again").bodyAsJsonArray());
    assertEquals(
        new JsonArray(),
        ferry.send(HttpMethod.GET, "/v2/waiters/evt-1", Map.of(), "").bodyAsJsonArray());
  }

  private HttpResponse<Buffer> get(String uri) throws Exception {
    return ferry.send(HttpMethod.GET, uri, Map.of(), "");
  }

  @Test
  void run_logs_and_bulk_cancels_refuse_bad_filters_naming_them() throws Exception {
    String logs = "/v2/workflows/events?groupBy=workflowRunId";
    assertError(400, "groupBy", get("/v2/workflows/events?groupBy=messageId"));
    assertError(400, "state", get(logs + "&state=DONE"));
    assertError(400, "count", get(logs + "&count=0"));
    assertError(400, "count", get(logs + "&count=many"));
    assertError(400, "fromDate", get(logs + "&fromDate=yesterday"));
    assertError(400, "callerIp", get(logs + "&callerIp=1.2.3.4"));
    String runs = "/v2/workflows/runs";
    assertError(
        400,
        "workflowRunIds",
        ferry.send(HttpMethod.DELETE, runs + "?workflowRunIds=", Map.of(), ""));
    assertError(
        400,
        "workflowUrlExactMatch",
        ferry.send(
            HttpMethod.DELETE, runs + "?workflowUrl=x&workflowUrlExactMatch=maybe", Map.of(), ""));
    assertError(400, "toDate", ferry.send(HttpMethod.DELETE, runs + "?toDate=-5", Map.of(), ""));

    trigger("wfr_logged");
    HttpResponse<Buffer> one = get(logs + "&workflowRunId=wfr_logged");
    assertEquals(200, one.statusCode(), one.bodyAsString());
    assertEquals(
        "RUN_STARTED",
        one.bodyAsJsonObject().getJsonArray("runs").getJsonObject(0).getString("workflowState"));
    assertEquals("", one.bodyAsJsonObject().getString("cursor"));
    assertEquals(
        0, get(logs + "&workflowRunId=wfr_none").bodyAsJsonObject().getJsonArray("runs").size());
  }
}
