package dev.ferry.store;

/**
 * A backend found its data damaged while opening (a failed checksum, say): Ferry refuses to start
 * rather than serve with acknowledged messages silently missing. The message says where the damage
 * is and what the operator can do, so {@code Main} prints it alone, without a stack trace: damaged
 * data is not a bug.
 */
public class StoreDamagedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected StoreDamagedException(String message) {
    super(message, null, false, false);
  }
}
