package dev.ferry.error;

import java.util.regex.Pattern;

/**
 * A refusal we intend: the HTTP status (400..599) the API answers with, a stable machine-readable
 * {@code code} (lower_snake, for clients, logs and metrics) and the message for QStash's {@code
 * {"error": "..."}} body. No stack trace: it is an answer, not a fault.
 *
 * <p>It lives in its own package, not in {@code api}, because refusals are raised on both sides of
 * the API edge: request parsing in {@code api}, and {@code ingest} (an unknown URL group, a
 * resource limit), which must not depend on {@code api}. Only {@code api.ApiErrors} turns it into a
 * response; anything else that reaches it is a fault (500).
 */
public final class ApiException extends RuntimeException {
  private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");

  private final int status;
  private final String code;

  /**
   * @throws IllegalArgumentException when {@code status} is not 400..599 or {@code code} is not
   *     lower_snake
   */
  public ApiException(int status, String code, String message) {
    super(message, null, false, false);
    if (status < 400 || status > 599)
      throw new IllegalArgumentException("status must be 400..599, got " + status);
    if (code == null || !CODE.matcher(code).matches()) {
      throw new IllegalArgumentException("code must be lower_snake, got \"" + code + "\"");
    }
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** 400 {@code bad_request}: the request is malformed or a value in it is invalid. */
  public static ApiException badRequest(String message) {
    return new ApiException(400, "bad_request", message);
  }

  /** 401 {@code unauthorized}: no token, or one we do not know. */
  public static ApiException unauthorized(String message) {
    return new ApiException(401, "unauthorized", message);
  }

  /** 404 {@code not_found}: the named resource does not exist. */
  public static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message);
  }

  /**
   * 412 with {@code code} naming the limit (e.g. {@code queue_limit}): a configured resource limit
   * is reached.
   */
  public static ApiException limitReached(String code, String message) {
    return new ApiException(412, code, message);
  }

  /** 413 {@code payload_too_large}: a message body over the configured maximum. */
  public static ApiException payloadTooLarge(String message) {
    return new ApiException(413, "payload_too_large", message);
  }
}
