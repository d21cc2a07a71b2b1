package dev.ferry.store;

/**
 * The store did not take a write and nothing of it was persisted: the disk is (nearly) full, the
 * store failed to write, too many writes are already waiting, or the store is closed while it is
 * being reopened after a write error (reads are refused then too). For a shared store (Redis) that
 * stopped answering mid-write, "nothing persisted" cannot be known: the write may have been
 * applied, so a caller's retry can store a duplicate (never lose anything). The API answers 503
 * with {@code Retry-After}; delivery keeps the message pending and tries again later. No stack
 * trace: it is an expected condition, logged where it starts.
 */
public final class StoreUnavailableException extends RuntimeException {
  /** Why the write was refused; also the {@code reason} label of the shed-requests metric. */
  public enum Reason {
    DISK_FULL("disk_full"),
    WRITE_FAILED("store_write_failed"),
    WRITE_QUEUE_FULL("write_queue_full"),
    STORE_REOPENING("store_reopening"),
    /** A shared store (Redis) did not answer, or answered that it cannot take writes now. */
    STORE_UNREACHABLE("store_unreachable"),
    /**
     * The process that owns the work (a flow-control key's lane) did not answer in time, or none
     * owns it right now (partitions moving).
     */
    OWNER_UNREACHABLE("owner_unreachable");

    private final String label;

    Reason(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final Reason reason;

  public StoreUnavailableException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
