package dev.ferry.store;

/**
 * A write that delivery made after an attempt was refused because this process no longer owns the
 * message's partition (fencing, see {@link PartitionOwnership}): another process owns it now and
 * delivers the message itself. Nothing of the write persisted; the caller drops its copy of the
 * message rather than retrying.
 */
public final class OwnershipLostException extends RuntimeException {
  public OwnershipLostException(String message) {
    super(message, null, false, false);
  }
}
