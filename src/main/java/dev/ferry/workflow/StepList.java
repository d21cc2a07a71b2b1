package dev.ferry.workflow;

import dev.ferry.model.WorkflowStep;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;

/**
 * A run's steps as the SDK parses them: a JSON array of {@code {"messageId", "body": <base64>,
 * "callType"}}, the first being the run's initial payload. Compact JSON in field order, which is
 * what {@code JSON.stringify} gives back after Express parsed it, so the signature of the bytes
 * Ferry sent still verifies. Pure.
 */
final class StepList {
  private StepList() {}

  /** Steps 0 to {@code last}, both included. */
  static Buffer encode(List<WorkflowStep> steps, int last) {
    JsonArray out = new JsonArray();
    for (int i = 0; i <= last && i < steps.size(); i++) {
      WorkflowStep s = steps.get(i);
      out.add(
          new JsonObject()
              .put("messageId", s.messageId())
              .put("body", Base64.getEncoder().encodeToString(s.body()))
              .put("callType", s.callType()));
    }
    return out.toBuffer();
  }

  /** The position of the message's step, or -1 when it is none of the run's. */
  static int indexOf(List<WorkflowStep> steps, String messageId) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).messageId().equals(messageId)) return i;
    }
    return -1;
  }
}
