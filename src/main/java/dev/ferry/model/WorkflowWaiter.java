package dev.ferry.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A run's step waiting for an event ({@code context.waitForEvent}, {@code waitForWebhook}): it ends
 * with the first notify of its event, or with its timeout at {@code deadline}, whichever comes
 * first; either way the run gets one step and the waiter is gone.
 *
 * @param tenant owning tenant
 * @param eventId what it waits for
 * @param runId the waiting run
 * @param stepId the waiting step's {@code stepId}: one run may wait on one event in several steps
 * @param url where the step carrying the event goes (the run's workflow URL)
 * @param headers publish headers (lower-case names) of the message carrying the event
 * @param timeoutUrl where the timeout step goes
 * @param timeoutHeaders publish headers (lower-case names) of the timeout step's message
 * @param step the waiting step as the endpoint described it (a JSON object's text)
 * @param deadline Unix ms when the wait times out
 */
public record WorkflowWaiter(
    String tenant,
    String eventId,
    String runId,
    int stepId,
    String url,
    Map<String, List<String>> headers,
    String timeoutUrl,
    Map<String, List<String>> timeoutHeaders,
    String step,
    long deadline) {
  public WorkflowWaiter {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(url, "url");
    headers = Map.copyOf(headers);
    timeoutUrl = timeoutUrl == null ? url : timeoutUrl;
    timeoutHeaders = Map.copyOf(timeoutHeaders);
    Objects.requireNonNull(step, "step");
  }
}
