package dev.ferry.store.redis;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A test server started on first use and closed when the JVM exits, shared by every test that asks
 * (starting one per test would cost seconds each). Thread-safe.
 */
final class OncePerJvm<T extends AutoCloseable> {
  /** Starts the server. */
  @FunctionalInterface
  interface Starter<T> {
    T start() throws IOException;
  }

  private final Starter<T> starter;
  private T started;

  OncePerJvm(Starter<T> starter) {
    this.starter = starter;
  }

  synchronized T get() {
    if (started == null) {
      try {
        started = starter.start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      T server = started;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      server.close();
                    } catch (Exception e) {
                      // at exit: a temp directory may stay behind, nothing else to do
                    }
                  }));
    }
    return started;
  }
}
