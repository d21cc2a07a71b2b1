package dev.ferry.ingest;

/**
 * Ingest refused a request for a reason only it can see (unknown URL group, a resource limit). Carries the HTTP
 * status the API answers with; no stack trace.
 */
public final class IngestException extends RuntimeException {
  private final int status;

  public IngestException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
