package dev.ferry.workflow;

import dev.ferry.model.WorkflowWaiter;
import io.vertx.core.json.JsonObject;
import java.util.Base64;

/**
 * The step a wait ends with, as the SDK reads it: the waiting step's own fields, {@code
 * waitEventId}, and either {@code out} (base64 of what arrived: a notify's body, or a webhook
 * call's request) with {@code waitTimeout: false}, or no {@code out} and {@code waitTimeout: true}.
 * Pure.
 */
final class WaitSteps {
  private WaitSteps() {}

  static byte[] arrived(WorkflowWaiter w, byte[] data) {
    return new JsonObject(w.step())
        .put("waitEventId", w.eventId())
        .put("out", Base64.getEncoder().encodeToString(data))
        .put("waitTimeout", false)
        .toBuffer()
        .getBytes();
  }

  static byte[] timedOut(WorkflowWaiter w) {
    JsonObject step = new JsonObject(w.step());
    step.remove("out");
    return step.put("waitEventId", w.eventId()).put("waitTimeout", true).toBuffer().getBytes();
  }

  /** A waiter as {@code notify} and {@code getWaiters} answer it; {@code deadline} in Unix s. */
  static JsonObject json(WorkflowWaiter w) {
    return new JsonObject()
        .put("url", w.url())
        .put("deadline", w.deadline() / 1000)
        .put("headers", headers(w.headers()))
        .put("timeoutUrl", w.timeoutUrl())
        .put("timeoutBody", "")
        .put("timeoutHeaders", headers(w.timeoutHeaders()));
  }

  private static JsonObject headers(java.util.Map<String, java.util.List<String>> headers) {
    JsonObject out = new JsonObject();
    headers.forEach(
        (name, values) ->
            out.put(
                dev.ferry.model.HeaderNames.canonical(name),
                new io.vertx.core.json.JsonArray(values)));
    return out;
  }
}
