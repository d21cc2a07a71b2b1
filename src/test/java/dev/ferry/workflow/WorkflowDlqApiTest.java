package dev.ferry.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.GatewayTest;
import dev.ferry.testing.Polls;
import dev.ferry.testing.Sink;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The workflow DLQ endpoints refuse bad input with a 4xx naming the problem, act on workflow
 * entries only, and resume a failed run as a new run with the failed step published again.
 */
class WorkflowDlqApiTest extends GatewayTest {

  /** A run whose trigger the sink refuses, with no retry: its DLQ entry. */
  private JsonObject failedRun(String runId) throws Exception {
    sink.on("/wf-" + runId, r -> Sink.Reply.status(500));
    HttpResponse<Buffer> r =
        ferry.publish(
            sink.url("/wf-" + runId),
            Map.of(
                "Upstash-Workflow-Init", "true",
                "Upstash-Workflow-RunId", runId,
                "Upstash-Retries", "0"),
            "{\"n\":1}");
    assertEquals(201, r.statusCode(), r.bodyAsString());
    AtomicReference<JsonObject> entry = new AtomicReference<>();
    Polls.within(Duration.ofSeconds(15))
        .until(
            () -> {
              JsonArray found =
                  get("/v2/dlq?source=workflow&workflowRunId=" + runId)
                      .bodyAsJsonObject()
                      .getJsonArray("messages");
              if (found.isEmpty()) return false;
              entry.set(found.getJsonObject(0));
              return true;
            });
    return entry.get();
  }

  private HttpResponse<Buffer> get(String uri) throws Exception {
    return ferry.send(HttpMethod.GET, uri, Map.of(), "");
  }

  private HttpResponse<Buffer> post(String uri, Map<String, String> headers) throws Exception {
    return ferry.send(HttpMethod.POST, uri, headers, "");
  }

  private static void assertError(int status, String naming, HttpResponse<Buffer> r) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    String error = r.bodyAsJsonObject().getString("error");
    assertTrue(error.contains(naming), () -> "error \"" + error + "\" does not name " + naming);
  }

  @Test
  void bad_requests_are_refused_with_a_4xx_naming_what_is_wrong_and_change_nothing()
      throws Exception {
    JsonObject entry = failedRun("wfr_bad");
    String id = entry.getString("dlqId");
    assertEquals("wfr_bad", entry.getString("workflowRunId"));
    assertEquals(sink.url("/wf-wfr_bad"), entry.getString("workflowUrl"));
    assertTrue(entry.getLong("workflowCreatedAt") > 0);

    assertError(
        400,
        "Upstash-Retries",
        post("/v2/workflows/dlq/resume?dlqIds=" + id, Map.of("Upstash-Retries", "many")));
    assertError(
        400,
        "Upstash-Flow-Control-Value",
        post(
            "/v2/workflows/dlq/restart?dlqIds=" + id,
            Map.of("Upstash-Flow-Control-Key", "k", "Upstash-Flow-Control-Value", "fast")));
    assertError(400, "failureFunctionState", get("/v2/dlq?failureFunctionState=BROKEN"));
    assertError(400, "workflowCreatedAt", get("/v2/dlq?workflowCreatedAt=yesterday"));
    assertError(400, "labeel", post("/v2/workflows/dlq/resume?labeel=x", Map.of()));
    assertError(
        400,
        "workflowRunId",
        ferry.send(HttpMethod.DELETE, "/v2/workflows/dlq?workflowRunId=", Map.of(), ""));
    assertError(404, "dlq_nope", post("/v2/workflows/dlq/resume?dlqIds=dlq_nope", Map.of()));
    assertError(404, "nope", post("/v2/workflows/dlq/callback/nope", Map.of()));
    assertError(400, "no failure function", post("/v2/workflows/dlq/callback/" + id, Map.of()));

    assertEquals(
        1,
        get("/v2/dlq?workflowRunId=wfr_bad").bodyAsJsonObject().getJsonArray("messages").size(),
        "the entry is still there");
  }

  @Test
  void an_ordinary_dlq_entry_is_no_workflow_entry() throws Exception {
    sink.on("/plain", r -> Sink.Reply.status(500));
    HttpResponse<Buffer> r = ferry.publish(sink.url("/plain"), Map.of("Upstash-Retries", "0"), "x");
    assertEquals(201, r.statusCode(), r.bodyAsString());
    AtomicReference<String> id = new AtomicReference<>();
    Polls.within(Duration.ofSeconds(15))
        .until(
            () -> {
              JsonArray all = get("/v2/dlq").bodyAsJsonObject().getJsonArray("messages");
              for (Object o : all) {
                JsonObject e = (JsonObject) o;
                if (e.getString("url").equals(sink.url("/plain"))) id.set(e.getString("dlqId"));
              }
              return id.get() != null;
            });
    assertTrue(
        !get("/v2/dlq/" + id.get()).bodyAsJsonObject().containsKey("workflowRunId"),
        "no workflow fields");
    assertError(404, id.get(), post("/v2/workflows/dlq/restart?dlqIds=" + id.get(), Map.of()));
    HttpResponse<Buffer> deleted =
        ferry.send(HttpMethod.DELETE, "/v2/workflows/dlq?dlqIds=" + id.get(), Map.of(), "");
    assertEquals(404, deleted.statusCode(), deleted.bodyAsString());
    assertEquals(200, get("/v2/dlq/" + id.get()).statusCode(), "still in the DLQ");
  }

  @Test
  void a_restarted_run_is_a_new_run_delivered_with_the_initial_payload() throws Exception {
    JsonObject entry = failedRun("wfr_again");
    sink.on("/wf-wfr_again", r -> Sink.Reply.status(200));
    HttpResponse<Buffer> r =
        post(
            "/v2/workflows/dlq/restart?dlqIds=" + entry.getString("dlqId"),
            Map.of("Upstash-Retries", "2"));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject run = r.bodyAsJsonObject().getJsonArray("workflowRuns").getJsonObject(0);
    String newId = run.getString("workflowRunId");
    assertTrue(newId.startsWith("wfr_") && !newId.equals("wfr_again"), newId);
    Sink.Received again = sink.await("/wf-wfr_again", 2, 15_000).get(1);
    assertEquals(newId, again.header("Upstash-Workflow-RunId"));
    assertEquals(
        String.valueOf(run.getLong("workflowCreatedAt")),
        again.header("Upstash-Workflow-CreatedAt"));
    // delivered as every step is: the run's step list up to it, here the initial payload alone
    JsonArray steps = again.body().toJsonArray();
    assertEquals(1, steps.size());
    assertEquals(
        "{\"n\":1}",
        new String(java.util.Base64.getDecoder().decode(steps.getJsonObject(0).getString("body"))));
    assertEquals(
        0,
        get("/v2/dlq?workflowRunId=wfr_again").bodyAsJsonObject().getJsonArray("messages").size());
  }
}
