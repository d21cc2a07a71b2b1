package dev.ferry.model;

import java.util.Objects;

/**
 * One message of a workflow run, in the order the gateway accepted it: the trigger (whose body is
 * the run's initial payload) and every step the endpoint published back. The endpoint receives the
 * run's steps as a list of these, each body base64-encoded.
 *
 * @param messageId the id of the message that carries it (delivered as {@code Upstash-Message-Id})
 * @param callType {@code step} for what the endpoint replays, else {@code toCallback} (a {@code
 *     context.call} request, which the SDK skips)
 * @param body the step's body exactly as published
 */
public record WorkflowStep(String messageId, String callType, byte[] body) {
  public static final String STEP = "step";

  public WorkflowStep {
    Objects.requireNonNull(messageId, "messageId");
    callType = callType == null || callType.isBlank() ? STEP : callType;
    body = body == null ? new byte[0] : body;
  }

  public boolean isStep() {
    return STEP.equals(callType);
  }
}
