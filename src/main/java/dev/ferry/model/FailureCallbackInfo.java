package dev.ferry.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the failure callback (the failure function or {@code failureUrl}) of a failed workflow run
 * went, as the workflow DLQ reports it ({@code failureCallbackInfo} of a DLQ entry). A run whose
 * step failed with a failure callback and has no record yet is {@link State#CALLBACK_INPROGRESS}.
 *
 * @param state where the callback is
 * @param status its last response's status, 0 when none (in progress, or no answer)
 * @param body its last response's body (capped as an attempt's is), never null
 * @param headers its last response's headers, never null
 */
public record FailureCallbackInfo(
    State state, int status, byte[] body, Map<String, List<String>> headers) {

  /** The states, spelt as QStash spells them. */
  public enum State {
    /** Being delivered (or waiting for its next attempt). */
    CALLBACK_INPROGRESS,
    /** The callback was delivered (2xx). */
    CALLBACK_SUCCESS,
    /** It failed for good; {@code POST /v2/workflows/dlq/callback/{dlqId}} sends it again. */
    CALLBACK_FAIL,
    /** Reserved by QStash for a cancelled callback; Ferry does not produce it. */
    CALLBACK_CANCELED
  }

  public FailureCallbackInfo {
    Objects.requireNonNull(state, "state");
    body = body == null ? new byte[0] : body;
    headers = headers == null ? Map.of() : headers;
  }

  /** In progress, no response yet. */
  public static final FailureCallbackInfo IN_PROGRESS =
      new FailureCallbackInfo(State.CALLBACK_INPROGRESS, 0, null, null);

  /**
   * The callback's attempt ended it ({@link State#CALLBACK_SUCCESS} or {@link
   * State#CALLBACK_FAIL}).
   */
  public static FailureCallbackInfo ended(AttemptResult last) {
    return new FailureCallbackInfo(
        last.delivered() ? State.CALLBACK_SUCCESS : State.CALLBACK_FAIL,
        last.status(),
        last.body(),
        last.headers());
  }
}
