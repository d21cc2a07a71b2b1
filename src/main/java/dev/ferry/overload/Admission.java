package dev.ferry.overload;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The API's admission gate: how many requests, and how many bytes of their bodies, are being served
 * at once. A request that would take either past its cap is refused before its body is read, which
 * is what keeps the heap bounded however many clients push at once (Vert.x buffers a whole body
 * before the handler runs). Shared by every API event loop; thread-safe and lock-free.
 */
public final class Admission {
  /**
   * Why a request was refused; the label is the {@code reason} of {@code
   * ferry_requests_shed_total}.
   */
  public enum Refusal {
    TOO_MANY_REQUESTS("too_many_requests"),
    TOO_MANY_BYTES("too_many_request_bytes");

    private final String label;

    Refusal(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final int maxRequests;
  private final long maxBytes;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();

  public Admission(int maxRequests, long maxBytes) {
    if (maxRequests < 1 || maxBytes < 1)
      throw new IllegalArgumentException("caps must be positive");
    this.maxRequests = maxRequests;
    this.maxBytes = maxBytes;
  }

  /**
   * Lets a request with a body of {@code bodyBytes} in, or says why not. A body larger than the
   * whole byte budget is still let in when nothing else is being served, so a lone large (but
   * allowed) request is never refused forever. Every admitted request must be {@link #leave left}
   * exactly once.
   *
   * @return null when admitted
   */
  public Refusal enter(long bodyBytes) {
    if (requests.incrementAndGet() > maxRequests) {
      requests.decrementAndGet();
      return Refusal.TOO_MANY_REQUESTS;
    }
    long total = bytes.addAndGet(bodyBytes);
    if (total > maxBytes && total != bodyBytes) {
      bytes.addAndGet(-bodyBytes);
      requests.decrementAndGet();
      return Refusal.TOO_MANY_BYTES;
    }
    return null;
  }

  /**
   * An admitted request with a body of {@code bodyBytes} is done (answered or its connection
   * closed).
   */
  public void leave(long bodyBytes) {
    bytes.addAndGet(-bodyBytes);
    requests.decrementAndGet();
  }

  public int requests() {
    return requests.get();
  }

  public long bytes() {
    return bytes.get();
  }
}
