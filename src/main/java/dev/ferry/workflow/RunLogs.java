package dev.ferry.workflow;

import dev.ferry.model.WorkflowRun;
import dev.ferry.model.WorkflowStep;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A run as {@code GET /v2/workflows/events?groupBy=workflowRunId} shows it: its state, times,
 * response, labels, DLQ id, and the steps the endpoint reported, each parallel group together.
 * Steps are listed once accepted, so each is {@code STEP_SUCCESS}; plan steps of parallel groups
 * are left out (their results are listed). Pure.
 */
final class RunLogs {
  private static final List<String> STEP_FIELDS =
      List.of(
          "stepId",
          "stepName",
          "stepType",
          "out",
          "concurrent",
          "sleepFor",
          "sleepUntil",
          "waitEventId",
          "waitTimeout",
          "callUrl",
          "callMethod");

  private RunLogs() {}

  static JsonObject run(WorkflowRun r, List<WorkflowStep> steps) {
    JsonObject json =
        new JsonObject()
            .put("workflowRunId", r.runId())
            .put("workflowUrl", r.url())
            .put("workflowState", r.state().name())
            .put("workflowRunCreatedAt", r.createdAt());
    if (!r.active()) json.put("workflowRunCompletedAt", r.endedAt());
    if (r.response().length > 0) {
      json.put("workflowRunResponse", new String(r.response(), StandardCharsets.UTF_8));
    }
    if (!r.settings().labels().isEmpty()) {
      json.put("labels", new JsonArray(r.settings().labels()))
          .put("label", String.join(",", r.settings().labels()));
    }
    if (r.dlqId() != null) json.put("dlqId", r.dlqId());
    if (r.invoker() != null) {
      json.put(
          "invoker",
          new JsonObject()
              .put("workflowRunId", r.invoker().runId())
              .put("workflowUrl", r.invoker().url())
              .put("workflowRunCreatedAt", r.invoker().createdAt()));
    }
    return json.put("steps", groups(steps));
  }

  private static JsonArray groups(List<WorkflowStep> steps) {
    JsonArray groups = new JsonArray();
    if (steps.isEmpty()) return groups;
    WorkflowStep first = steps.get(0);
    groups.add(
        group(
            "sequential",
            new JsonArray()
                .add(
                    log(first)
                        .put("stepId", 0)
                        .put("stepName", "init")
                        .put("stepType", "Initial")
                        .put("out", new String(first.body(), StandardCharsets.UTF_8))
                        .put("concurrent", 1))));
    JsonArray parallel = null;
    for (WorkflowStep s : steps.subList(1, steps.size())) {
      if (!s.isStep()) continue;
      JsonObject body = parse(s.body());
      if (body == null || body.getValue("targetStep") != null) continue;
      JsonObject log = log(s);
      STEP_FIELDS.forEach(f -> copy(body, log, f));
      if (body.getInteger("concurrent", 1) > 1) {
        if (parallel == null) {
          parallel = new JsonArray();
          groups.add(group("parallel", parallel));
        }
        parallel.add(log);
      } else {
        parallel = null;
        groups.add(group("sequential", new JsonArray().add(log)));
      }
    }
    return groups;
  }

  private static JsonObject log(WorkflowStep s) {
    return new JsonObject()
        .put("callType", s.callType())
        .put("messageId", s.messageId())
        .put("state", "STEP_SUCCESS");
  }

  private static JsonObject group(String type, JsonArray steps) {
    return new JsonObject().put("type", type).put("steps", steps);
  }

  private static void copy(JsonObject from, JsonObject to, String field) {
    Object v = from.getValue(field);
    if (v != null) to.put(field, v);
  }

  private static JsonObject parse(byte[] body) {
    try {
      Object v = io.vertx.core.json.Json.decodeValue(io.vertx.core.buffer.Buffer.buffer(body));
      return v instanceof JsonObject o ? o : null;
    } catch (RuntimeException e) {
      return null; // not a step the SDK wrote: left out of the log, never a failed request
    }
  }
}
