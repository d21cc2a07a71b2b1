package dev.ferry.egress;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Looks names up with the very resolver Vert.x's HTTP client uses (Netty's asynchronous DNS
 * resolver, configured by the Vert.x instance's {@code AddressResolverOptions}: {@code /etc/hosts},
 * {@code resolv.conf} servers, search domains and {@code ndots}, caching by TTL). So a name
 * resolves here exactly as the client would have resolved it, and Kubernetes/docker-compose service
 * names keep working.
 *
 * <p>This is Ferry's one use of a Vert.x {@code internal} API: Vert.x 5.0.7 has no public "resolve
 * all addresses of a name" call ({@code DnsClient} ignores the hosts file and search domains;
 * {@code InetAddress} blocks a thread per lookup). If an upgrade moves it, this class stops
 * compiling: nothing fails silently.
 */
public final class VertxHostResolver implements HostResolver {
  private final Vertx vertx;

  public VertxHostResolver(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<List<InetAddress>> resolveAll(String host) {
    Promise<List<InetSocketAddress>> answers = Promise.promise();
    ((VertxInternal) vertx).nameResolver().resolveAll(host, answers::handle);
    return answers.future().map(list -> list.stream().map(InetSocketAddress::getAddress).toList());
  }
}
