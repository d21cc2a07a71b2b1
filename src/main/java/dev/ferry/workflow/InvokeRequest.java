package dev.ferry.workflow;

import dev.ferry.api.publish.PublishCommands;
import dev.ferry.error.ApiException;
import dev.ferry.model.WorkflowInvoker;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The body of a trigger sent by {@code context.invoke}: the child's initial payload ({@code body},
 * a string) and the invoking run ({@code workflowRunId}, {@code workflowUrl}, {@code
 * workflowRunCreatedAt}, the publish {@code headers} of the message that brings the child's result
 * back, and the waiting {@code step}). Pure.
 *
 * @param payload the child run's initial payload
 * @param invoker the invoking run
 */
record InvokeRequest(byte[] payload, WorkflowInvoker invoker) {

  static InvokeRequest parse(byte[] body) {
    JsonObject json = object(body);
    String runId = text(json, "workflowRunId");
    String url = text(json, "workflowUrl");
    Object created = json.getValue("workflowRunCreatedAt");
    if (created != null && !(created instanceof Number)) {
      throw bad("workflowRunCreatedAt: must be a number (Unix ms)");
    }
    Object payload = json.getValue("body");
    if (payload != null && !(payload instanceof String)) {
      throw bad("body: must be a string (the invoked run's initial payload)");
    }
    if (!(json.getValue("step") instanceof JsonObject step)) {
      throw bad("step: missing; the invoking step is required");
    }
    if (!(step.getValue("stepId") instanceof Number n) || n.intValue() < 0) {
      throw bad("step.stepId: must be a non-negative number");
    }
    for (String field : List.of("stepName", "stepType")) {
      if (!(step.getValue(field) instanceof String s) || s.isBlank()) {
        throw bad("step." + field + ": must be a non-empty string");
      }
    }
    Object headers = json.getValue("headers");
    if (headers != null && !(headers instanceof JsonObject)) {
      throw bad("headers: must be a JSON object of header names to values");
    }
    return new InvokeRequest(
        payload == null ? new byte[0] : ((String) payload).getBytes(StandardCharsets.UTF_8),
        new WorkflowInvoker(
            runId,
            url,
            created == null ? 0L : ((Number) created).longValue(),
            headers == null
                ? java.util.Map.of()
                : PublishCommands.configuration((JsonObject) headers),
            step.encode()));
  }

  private static JsonObject object(byte[] body) {
    if (body == null || body.length == 0) {
      throw bad("an invoke (Upstash-Workflow-Invoke: true) needs a JSON object body");
    }
    try {
      if (Buffer.buffer(body).toJsonValue() instanceof JsonObject o) return o;
    } catch (DecodeException e) {
      throw bad("not valid JSON (" + e.getMessage() + ")");
    }
    throw bad("must be a JSON object");
  }

  private static String text(JsonObject json, String field) {
    if (!(json.getValue(field) instanceof String s) || s.isBlank()) {
      throw bad(field + ": must be a non-empty string");
    }
    return s;
  }

  private static ApiException bad(String what) {
    return ApiException.badRequest("invoke body: " + what);
  }
}
