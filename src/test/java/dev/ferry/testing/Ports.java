package dev.ferry.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A free loopback port for a server in another process, which cannot bind port 0 and tell us.
 * Chosen below the kernel's ephemeral range (32768 and up on Linux): a port from {@code new
 * ServerSocket(0)} is free only until it is closed, and the next in-process server bound to port 0
 * (a sink, say) may be given the same one before the child binds it — the child then fails and the
 * test talks to the sink. Ports outside that range are never handed out to port-0 binds, so only
 * another explicit choice could collide, and each candidate is checked first.
 */
public final class Ports {
  private static final int LOW = 20_000;
  private static final int HIGH = 32_000;

  private Ports() {}

  public static int freePort() throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return port;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no free port between " + LOW + " and " + HIGH);
  }
}
