package dev.ferry.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.testing.GatewayTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A trigger from {@code context.invoke} with a bad body is a 400 naming the bad field. */
class WorkflowInvokeApiTest extends GatewayTest {
  private static final String STEP =
      "\"step\":{\"stepId\":2,\"stepName\":\"i\",\"stepType\":\"Invoke\",\"concurrent\":1}";

  private HttpResponse<Buffer> invoke(String childRunId, String body) throws Exception {
    return ferry.publish(
        sink.url("/child"),
        Map.of(
            "Upstash-Workflow-Init", "true",
            "Upstash-Workflow-RunId", childRunId,
            "Upstash-Workflow-Invoke", "true"),
        body);
  }

  private static void assertError(String naming, HttpResponse<Buffer> r) {
    assertEquals(400, r.statusCode(), r.bodyAsString());
    String error = r.bodyAsJsonObject().getString("error");
    assertTrue(error.contains(naming), () -> "error \"" + error + "\" does not name " + naming);
  }

  @Test
  void an_invoke_with_a_bad_body_or_an_inactive_parent_is_refused_with_a_400() throws Exception {
    String parent = "\"workflowRunId\":\"wfr_parent\",\"workflowUrl\":\"" + sink.url("/p") + "\"";
    assertError("invoke body", invoke("wfr_c1", ""));
    assertError("invoke body", invoke("wfr_c1", "not json"));
    assertError("invoke body", invoke("wfr_c1", "[1]"));
    assertError("workflowRunId", invoke("wfr_c1", "{" + STEP + "}"));
    assertError("step", invoke("wfr_c1", "{" + parent + "}"));
    assertError("step.stepName", invoke("wfr_c1", "{" + parent + ",\"step\":{\"stepId\":1}}"));
    assertError("body", invoke("wfr_c1", "{" + parent + "," + STEP + ",\"body\":{\"a\":1}}"));
    assertError(
        "workflowRunCreatedAt",
        invoke("wfr_c1", "{" + parent + "," + STEP + ",\"workflowRunCreatedAt\":\"now\"}"));
    assertError("headers", invoke("wfr_c1", "{" + parent + "," + STEP + ",\"headers\":[]}"));
    assertError("not active", invoke("wfr_c1", "{" + parent + "," + STEP + "}"));
    assertEquals(
        404,
        ferry.send(HttpMethod.GET, "/v2/workflows/runs/wfr_c1", Map.of(), "").statusCode(),
        "no refused invoke created its child");
  }
}
