package dev.ferry.model;

import java.util.List;
import java.util.Map;

/**
 * What one delivery attempt produced: the response (status, headers, body capped at the configured
 * size) or the transport error. Built by delivery; stored with a DLQ entry and (later) in logs and
 * callback bodies.
 *
 * @param status HTTP status, or 0 when no response arrived (connection error, timeout)
 * @param headers response headers, canonical names
 * @param body response body, at most the configured capture size (never null)
 * @param error transport error text when {@code status == 0}, else null
 * @param time Unix ms when the attempt ended
 */
public record AttemptResult(
    int status, Map<String, List<String>> headers, byte[] body, String error, long time) {
  public AttemptResult {
    headers = headers == null ? Map.of() : headers;
    body = body == null ? new byte[0] : body;
  }

  public boolean delivered() {
    return status >= 200 && status < 300;
  }
}
