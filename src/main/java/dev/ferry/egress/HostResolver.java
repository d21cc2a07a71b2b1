package dev.ferry.egress;

import io.vertx.core.Future;
import java.net.InetAddress;
import java.util.List;

/**
 * Resolves a host name to every address it has, without blocking; completes on the caller's
 * context. The seam through which {@link DestinationGuard} looks names up ({@link
 * VertxHostResolver} in production).
 */
@FunctionalInterface
public interface HostResolver {
  Future<List<InetAddress>> resolveAll(String host);
}
